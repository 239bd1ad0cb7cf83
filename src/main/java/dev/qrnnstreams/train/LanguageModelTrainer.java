package dev.qrnnstreams.train;

import dev.qrnnstreams.nn.grad.SoftmaxOutput;
import dev.qrnnstreams.nn.grad.TrainingNoise;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Trains a causal QRNN language model ({@link LanguageModelStep}) with an {@link Optimiser} under a
 * {@link LearningRateSchedule}: one shuffled pass over the training sequences per epoch, each batch's
 * softmax sampled from a {@link UnigramProposal} (or exact when {@link Settings#samples} is 0), and the dev
 * perplexity under the exact softmax after each epoch ({@link LanguageModelEvaluation}).
 *
 * <p>Everything random derives from {@link Settings#seed} as in {@link ClassifierTrainer}: the shuffle of
 * epoch e from (seed, e), the candidates and noise of batch b from (seed, e, b). A run resumed from a
 * {@link TrainingCheckpoint} continues exactly; the checkpoint keeps the position, parameters and
 * optimiser, and the results of epochs finished before it are not carried into the resumed run's report.
 */
public final class LanguageModelTrainer {
    private final Settings settings;

    /** A trainer with these settings. */
    public LanguageModelTrainer(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * The settings of a run.
     *
     * @param epochs passes over the training sequences
     * @param batchSize sequences per optimiser step
     * @param seed the seed of every random choice
     * @param samples candidates drawn per batch for the sampled softmax; 0 for the exact softmax
     * @param schedule the learning rate's shape after the warm-up
     * @param learningRate the peak learning rate
     * @param warmup warm-up steps
     */
    public record Settings(int epochs, int batchSize, long seed, int samples, LearningRateSchedule.Shape schedule,
                           double learningRate, int warmup) {
        /** Validates the fields. */
        public Settings {
            Objects.requireNonNull(schedule, "schedule");
            if (epochs < 1 || batchSize < 1 || samples < 0 || warmup < 0 || !(learningRate > 0)) {
                throw new IllegalArgumentException("epochs and batchSize must be at least 1, samples and warmup at "
                        + "least 0 and the learning rate positive");
            }
        }
    }

    /**
     * What one epoch measured.
     *
     * @param epoch 1-based
     * @param loss the mean training loss (of the sampled softmax, when sampled)
     * @param tokensPerSecond predicted training tokens per second of training wall time
     * @param devPerplexity the dev perplexity under the exact softmax after the epoch
     * @param seconds the epoch's training wall time, without the dev evaluation
     */
    public record Epoch(int epoch, double loss, double tokensPerSecond, double devPerplexity, double seconds) {
    }

    /**
     * What a run measured.
     *
     * @param epochs one entry per epoch trained by this run
     * @param seconds the run's wall time in training and dev evaluation, time before a resume included
     */
    public record Run(List<Epoch> epochs, double seconds) {
        /** Copies the list. */
        public Run {
            epochs = List.copyOf(epochs);
        }
    }

    /**
     * Trains {@code parameters} (a {@link ClassifierParameters} whose classes are the vocabulary) in place.
     *
     * @param train training sequences of at least two ids
     * @param dev dev sequences of at least two ids
     * @param optimiser a fresh optimiser; its state is restored from {@code resume} if given
     * @param progress receives each batch's progress
     * @param epochs receives each epoch's result
     * @param resume a checkpoint of this run to continue from
     * @throws IllegalArgumentException if {@code resume} belongs to a run with other settings or data
     * @throws java.io.UncheckedIOException if a checkpoint cannot be written
     */
    public Run train(ClassifierParameters parameters, List<int[]> train, List<int[]> dev, Optimiser optimiser,
                     ClassifierTrainer.Listener progress, Consumer<Epoch> epochs,
                     ClassifierTrainer.Checkpointing checkpointing, Optional<TrainingCheckpoint> resume) {
        int batches = (train.size() + settings.batchSize() - 1) / settings.batchSize();
        if (batches == 0) {
            throw new IllegalArgumentException("no training sequence");
        }
        long totalSteps = (long) batches * settings.epochs();
        LearningRateSchedule schedule = new LearningRateSchedule(settings.schedule(), settings.learningRate(),
                (int) Math.min(settings.warmup(), totalSteps - 1), totalSteps);
        int vocabulary = parameters.classes();
        UnigramProposal proposal = new UnigramProposal(vocabulary, train, 0.75);
        float[] logExpected = proposal.logExpectedCounts(Math.max(1, settings.samples()));
        LanguageModelStep step = new LanguageModelStep();
        int epoch = 1;
        int nextBatch = 0;
        double totalSeconds = 0;
        if (resume.isPresent()) {
            TrainingCheckpoint checkpoint = resume.get();
            checkpointing.requireSameRun(checkpoint);
            parameters.load(checkpoint.parameters());
            optimiser.restore(parameters.values(), checkpoint.optimiser());
            epoch = checkpoint.epoch();
            nextBatch = checkpoint.nextBatch();
            totalSeconds = checkpoint.totalSeconds();
        }
        List<Epoch> finished = new ArrayList<>();
        for (; epoch <= settings.epochs(); epoch++, nextBatch = 0) {
            List<int[]> order = new ArrayList<>(train);
            Collections.shuffle(order, new Random(ClassifierTrainer.mix(settings.seed(), epoch, -1)));
            double lossSum = 0;
            long tokens = 0;
            double epochSeconds = 0;
            int firstBatch = nextBatch;
            long lastCheckpoint = System.nanoTime();
            for (; nextBatch < batches; nextBatch++) {
                long start = System.nanoTime();
                List<int[]> batch = order.subList(nextBatch * settings.batchSize(),
                        Math.min((nextBatch + 1) * settings.batchSize(), order.size()));
                long batchSeed = ClassifierTrainer.mix(settings.seed(), epoch, nextBatch);
                SoftmaxOutput output = output(parameters, proposal, logExpected, new SplittableRandom(batchSeed));
                ClassifierGradients gradients = step.gradients(parameters, batch, output,
                        i -> new TrainingNoise(new SplittableRandom(ClassifierTrainer.mix(batchSeed, i, 0))));
                double rate = schedule.rate(optimiser.steps());
                optimiser.step(parameters.paired(gradients), rate);
                lossSum += gradients.loss();
                for (int[] sequence : batch) {
                    tokens += sequence.length - 1;
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                epochSeconds += seconds;
                totalSeconds += seconds;
                if (checkpointing.file().isPresent() && nextBatch + 1 < batches
                        && System.nanoTime() - lastCheckpoint >= checkpointing.interval().toNanos()) {
                    save(checkpointing, epoch, nextBatch + 1, totalSeconds, parameters, optimiser, progress);
                    lastCheckpoint = System.nanoTime();
                }
                int done = nextBatch + 1 - firstBatch;
                progress.batch(new ClassifierTrainer.Progress(epoch, settings.epochs(), nextBatch + 1, batches,
                        lossSum / done, tokens / epochSeconds, rate));
            }
            long evaluationStart = System.nanoTime();
            double perplexity = LanguageModelEvaluation.of(parameters.embedding(), parameters.stack(),
                    parameters.head(), dev).perplexity();
            totalSeconds += (System.nanoTime() - evaluationStart) / 1e9;
            Epoch result = new Epoch(epoch, lossSum / Math.max(1, batches - firstBatch), tokens / epochSeconds,
                    perplexity, epochSeconds);
            finished.add(result);
            if (checkpointing.file().isPresent()) {
                save(checkpointing, epoch + 1, 0, totalSeconds, parameters, optimiser, progress);
            }
            epochs.accept(result);
        }
        return new Run(finished, totalSeconds);
    }

    /** The batch's softmax: exact, or over candidates drawn from the proposal. */
    private SoftmaxOutput output(ClassifierParameters parameters, UnigramProposal proposal, float[] logExpected,
                                 SplittableRandom random) {
        List<float[]> values = parameters.values();
        float[] weights = values.get(values.size() - 2);
        float[] bias = values.get(values.size() - 1);
        int hidden = parameters.spec().hiddenSize();
        if (settings.samples() == 0) {
            return SoftmaxOutput.full(hidden, parameters.classes(), weights, bias);
        }
        return SoftmaxOutput.sampled(hidden, parameters.classes(), weights, bias,
                proposal.draw(settings.samples(), random), logExpected);
    }

    private static void save(ClassifierTrainer.Checkpointing checkpointing, int epoch, int nextBatch,
                             double totalSeconds, ClassifierParameters parameters, Optimiser optimiser,
                             ClassifierTrainer.Listener listener) {
        checkpointing.save(parameters, optimiser, listener, (values, state) -> new TrainingCheckpoint(
                checkpointing.settingsKey(), epoch, nextBatch, 0, 0, 0, totalSeconds, List.of(), values, state));
    }
}
