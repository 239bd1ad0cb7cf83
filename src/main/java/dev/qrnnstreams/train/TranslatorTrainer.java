package dev.qrnnstreams.train;

import dev.qrnnstreams.inference.DecodingSettings;
import dev.qrnnstreams.inference.Translator;
import dev.qrnnstreams.nn.translate.QrnnTranslator;
import dev.qrnnstreams.nn.grad.TrainingNoise;
import dev.qrnnstreams.nn.grad.TranslatorGradients;
import dev.qrnnstreams.text.BpeTokenizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Trains a translator with teacher forcing ({@link TranslatorStep}) and an {@link Optimiser}: one shuffled
 * pass over the training pairs per epoch, the learning rate warmed up linearly and then decayed along
 * a cosine to its final value, and greedy-search corpus BLEU ({@link CorpusBleu}) on dev sentences after
 * each epoch. Each batch is cut into {@code threads} contiguous parts computed in parallel, each with its
 * own gradients and training noise, and summed.
 *
 * <p>Everything random derives from the seed, the epoch and the step (the shuffle of epoch e from
 * {@code seed + e}, the noise of a part from the seed, the step and the part), so a run repeats exactly
 * on the same machine and a run resumed from a {@link TranslatorCheckpoint} continues as the
 * uninterrupted run would have.
 */
public final class TranslatorTrainer {
    private final Settings settings;

    /** A trainer with these settings. */
    public TranslatorTrainer(Settings settings) {
        this.settings = settings;
    }

    /**
     * The settings of a run.
     *
     * @param epochs passes over the training pairs
     * @param batchSize pairs per optimiser step
     * @param learningRate the peak learning rate
     * @param finalLearningRate the learning rate at the end of the last epoch
     * @param warmupSteps steps of linear warm-up from 0
     * @param labelSmoothing see {@link TranslatorStep}
     * @param threads parts each batch is computed in, in parallel
     * @param devSentences how many dev sentences (from the start) to score after each epoch
     * @param seed the seed of every random choice
     */
    public record Settings(int epochs, int batchSize, double learningRate, double finalLearningRate, int warmupSteps,
                           double labelSmoothing, int threads, int devSentences, long seed) {
        /** Validates the fields. */
        public Settings {
            if (epochs < 1 || batchSize < 1 || threads < 1 || warmupSteps < 0 || devSentences < 0
                    || !(learningRate > 0) || !(finalLearningRate >= 0)) {
                throw new IllegalArgumentException("epochs, batchSize and threads must be at least 1, warmupSteps and "
                        + "devSentences at least 0, the learning rates positive");
            }
        }
    }

    /**
     * Progress within an epoch.
     *
     * @param epoch 1-based
     * @param step steps done in this epoch
     * @param steps steps in the epoch
     * @param loss the mean loss of the epoch so far
     * @param tokensPerSecond target and source tokens per second of wall time in this epoch
     * @param secondsLeft the estimated wall time to the end of the epoch
     */
    public record Progress(int epoch, int step, int steps, double loss, double tokensPerSecond, double secondsLeft) {
    }

    /**
     * What one epoch measured.
     *
     * @param epoch 1-based
     * @param loss the mean training loss
     * @param tokensPerSecond training tokens (source and target) per second of wall time
     * @param seconds the epoch's training wall time
     * @param devBleu greedy-search corpus BLEU on the dev sentences after the epoch
     */
    public record Epoch(int epoch, double loss, double tokensPerSecond, double seconds, double devBleu) {
    }

    /**
     * Trains {@code parameters} in place from {@code checkpoint}'s last epoch (or from the start when it
     * holds none) to {@code settings.epochs()}, checkpointing after every epoch.
     *
     * @return every epoch of the run, the resumed ones included
     */
    public List<Epoch> train(TranslatorParameters parameters, List<TranslatorStep.Example> train,
                             List<String> devSources, List<String> devReferences, BpeTokenizer sourceTokenizer,
                             BpeTokenizer targetTokenizer, Optimiser optimiser, TranslatorCheckpoint checkpoint,
                             Consumer<Progress> progress, Consumer<Epoch> epochs) throws IOException {
        List<Epoch> done = new ArrayList<>(checkpoint.resume(parameters, optimiser));
        int stepsPerEpoch = (train.size() + settings.batchSize() - 1) / settings.batchSize();
        long totalSteps = (long) stepsPerEpoch * settings.epochs();
        TranslatorStep step = new TranslatorStep(settings.labelSmoothing());
        List<TranslatorGradients> parts = new ArrayList<>();
        for (int p = 0; p < settings.threads(); p++) {
            parts.add(new TranslatorGradients(parameters.spec()));
        }
        List<String> sources = devSources.subList(0, Math.min(settings.devSentences(), devSources.size()));
        List<String> references = devReferences.subList(0, sources.size());
        ExecutorService pool = Executors.newFixedThreadPool(settings.threads(), runnable -> {
            Thread thread = new Thread(runnable, "translator-trainer");
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (int epoch = done.size() + 1; epoch <= settings.epochs(); epoch++) {
                List<TranslatorStep.Example> order = new ArrayList<>(train);
                Collections.shuffle(order, new Random(settings.seed() + epoch));
                long start = System.nanoTime();
                long tokens = 0;
                double loss = 0;
                for (int s = 0; s < stepsPerEpoch; s++) {
                    List<TranslatorStep.Example> batch = order.subList(s * settings.batchSize(),
                            Math.min((s + 1) * settings.batchSize(), order.size()));
                    long globalStep = (long) (epoch - 1) * stepsPerEpoch + s;
                    loss += gradients(parameters.snapshot(), step, batch, globalStep, parts, pool);
                    optimiser.step(parameters.paired(parts.get(0)), learningRate(globalStep, totalSteps));
                    for (TranslatorStep.Example example : batch) {
                        tokens += example.source().length + example.predictions();
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    progress.accept(new Progress(epoch, s + 1, stepsPerEpoch, loss / (s + 1), tokens / seconds,
                            seconds / (s + 1) * (stepsPerEpoch - s - 1)));
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                double bleu = sources.isEmpty() ? 0.0 : devBleu(parameters.snapshot(), sourceTokenizer,
                        targetTokenizer, sources, references);
                Epoch result = new Epoch(epoch, loss / stepsPerEpoch, tokens / seconds, seconds, bleu);
                done.add(result);
                checkpoint.save(parameters, optimiser, done);
                epochs.accept(result);
            }
        } finally {
            pool.shutdownNow();
        }
        return done;
    }

    /** The learning rate of a 0-based global step. */
    double learningRate(long globalStep, long totalSteps) {
        if (globalStep < settings.warmupSteps()) {
            return settings.learningRate() * (globalStep + 1) / settings.warmupSteps();
        }
        long decaySteps = Math.max(1, totalSteps - settings.warmupSteps());
        double progress = Math.min(1.0, (double) (globalStep - settings.warmupSteps()) / decaySteps);
        return settings.finalLearningRate()
                + (settings.learningRate() - settings.finalLearningRate()) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }

    /** Fills {@code parts.get(0)} with the batch's gradients and returns the batch's mean loss. */
    private double gradients(QrnnTranslator translator, TranslatorStep step, List<TranslatorStep.Example> batch,
                             long globalStep, List<TranslatorGradients> parts, ExecutorService pool) {
        long predictions = 0;
        for (TranslatorStep.Example example : batch) {
            predictions += example.predictions();
        }
        long batchPredictions = predictions;
        int count = parts.size();
        List<Future<Double>> futures = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            List<TranslatorStep.Example> part = batch.subList(batch.size() * p / count, batch.size() * (p + 1) / count);
            TranslatorGradients gradients = parts.get(p);
            TrainingNoise noise = new TrainingNoise(new SplittableRandom(settings.seed() * 1_000_003L
                    + globalStep * 1_009L + p));
            futures.add(pool.submit(() -> {
                gradients.clear();
                return step.accumulate(translator, part, batchPredictions, noise, gradients);
            }));
        }
        double loss = 0;
        for (Future<Double> future : futures) {
            loss += join(future);
        }
        for (int p = 1; p < count; p++) {
            parts.get(0).add(parts.get(p));
        }
        return loss;
    }

    /** Greedy-search corpus BLEU of {@code translator} on the given sentences. */
    public static double devBleu(QrnnTranslator translator, BpeTokenizer sourceTokenizer, BpeTokenizer targetTokenizer,
                                 List<String> sources, List<String> references) {
        try (Translator front = new Translator(translator, sourceTokenizer, targetTokenizer,
                DecodingSettings.greedy())) {
            return CorpusBleu.score(front.translate(sources), references).score();
        }
    }

    private static double join(Future<Double> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while computing gradients", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("a gradient part failed", e.getCause());
        }
    }
}
