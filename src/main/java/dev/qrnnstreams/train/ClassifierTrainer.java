package dev.qrnnstreams.train;

import dev.qrnnstreams.nn.CpuBackend;
import dev.qrnnstreams.nn.EmbeddingTable;
import dev.qrnnstreams.nn.LinearSoftmaxHead;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.TrainingNoise;
import dev.qrnnstreams.text.BpeTokenizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Trains a classifier's parameters with {@link ClassifierStep} and {@link AdamW}, one shuffled pass
 * over the training texts per epoch, and measures dev accuracy after each epoch the way the stream
 * reads the model: the head on the final state of one incremental pass.
 *
 * <p>Everything random (shuffling, dropout, zoneout) derives from {@link Settings#seed}, so a run
 * repeats exactly on the same machine.
 */
public final class ClassifierTrainer {
    private final Settings settings;

    /** A trainer with these settings. */
    public ClassifierTrainer(Settings settings) {
        this.settings = settings;
    }

    /**
     * The settings of a run.
     *
     * @param epochs passes over the training texts
     * @param batchSize texts per optimiser step
     * @param learningRate AdamW's learning rate
     * @param prefixes prefix ends scored per text (see {@link ClassifierStep})
     * @param seed the seed of every random choice
     */
    public record Settings(int epochs, int batchSize, double learningRate, int prefixes, long seed) {
        /** Validates the fields. */
        public Settings {
            if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || prefixes < 1) {
                throw new IllegalArgumentException("epochs, batchSize and prefixes must be at least 1 and the "
                        + "learning rate positive");
            }
        }
    }

    /**
     * What one epoch measured.
     *
     * @param epoch 1-based
     * @param loss the mean training loss
     * @param tokensPerSecond training tokens per second of wall time
     * @param devAccuracy the fraction of dev texts classified correctly after the epoch
     */
    public record Epoch(int epoch, double loss, double tokensPerSecond, double devAccuracy) {
    }

    /**
     * Trains {@code parameters} in place and returns one {@link Epoch} per epoch, also passed to
     * {@code progress} as each ends.
     */
    public List<Epoch> train(ClassifierParameters parameters, BpeTokenizer tokenizer, List<LabelledText> train,
                             List<LabelledText> dev, AdamW optimiser, Consumer<Epoch> progress) {
        List<ClassifierStep.Example> examples = encode(tokenizer, train);
        long tokens = examples.stream().mapToLong(example -> example.tokens().length).sum();
        ClassifierStep step = new ClassifierStep(settings.prefixes());
        TrainingNoise noise = new TrainingNoise(new SplittableRandom(settings.seed()));
        Random shuffler = new Random(settings.seed());
        List<Epoch> epochs = new ArrayList<>();
        for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
            Collections.shuffle(examples, shuffler);
            long start = System.nanoTime();
            double loss = 0;
            int batches = 0;
            for (int from = 0; from < examples.size(); from += settings.batchSize()) {
                List<ClassifierStep.Example> batch =
                        examples.subList(from, Math.min(from + settings.batchSize(), examples.size()));
                ClassifierGradients gradients = step.gradients(parameters, batch, noise);
                optimiser.step(parameters.paired(gradients), settings.learningRate());
                loss += gradients.loss();
                batches++;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Epoch result = new Epoch(epoch, loss / batches, tokens / seconds, accuracy(parameters, tokenizer, dev));
            epochs.add(result);
            progress.accept(result);
        }
        return epochs;
    }

    /** The fraction of {@code texts} whose most probable class after the whole text is their label. */
    public static double accuracy(ClassifierParameters parameters, BpeTokenizer tokenizer, List<LabelledText> texts) {
        EmbeddingTable embedding = parameters.embedding();
        QrnnStack stack = parameters.stack();
        LinearSoftmaxHead head = parameters.head();
        int correct = 0;
        try (CpuBackend backend = CpuBackend.vectorised()) {
            for (LabelledText text : texts) {
                float[] hidden = backend.step(stack, QrnnState.initial(stack),
                        embedding.lookup(tokenizer.encode(text.text()))).state().lastHidden();
                correct += argmax(head.probabilities(hidden)) == text.label() ? 1 : 0;
            }
        }
        return texts.isEmpty() ? 0 : (double) correct / texts.size();
    }

    private static List<ClassifierStep.Example> encode(BpeTokenizer tokenizer, List<LabelledText> texts) {
        List<ClassifierStep.Example> examples = new ArrayList<>(texts.size());
        for (LabelledText text : texts) {
            int[] tokens = tokenizer.encode(text.text());
            if (tokens.length > 0) {
                examples.add(new ClassifierStep.Example(tokens, text.label()));
            }
        }
        return examples;
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
