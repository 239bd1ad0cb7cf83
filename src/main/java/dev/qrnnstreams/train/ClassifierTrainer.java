package dev.qrnnstreams.train;

import dev.qrnnstreams.inference.ClassifierFrontEnd;
import dev.qrnnstreams.nn.grad.TrainingNoise;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * Trains a classifier's parameters with {@link ClassifierStep} and an {@link Optimiser} under a
 * {@link LearningRateSchedule}, one shuffled pass over the training texts per epoch, and measures dev
 * accuracy after each epoch the way the stream reads the model ({@link ClassifierEvaluation}).
 *
 * <p>Everything random derives from {@link Settings#seed}: the shuffle of epoch e from (seed, e), the
 * dropout and zoneout masks of example i of batch b of epoch e from (seed, e, b, i). A run therefore repeats exactly on
 * the same machine, and a run resumed from a {@link TrainingCheckpoint} continues exactly as if it had
 * not stopped.
 */
public final class ClassifierTrainer {
    private final Settings settings;
    private final List<float[]> targets;

    /** A trainer with these settings. */
    public ClassifierTrainer(Settings settings) {
        this(settings, List.of());
    }

    /**
     * A trainer that scores training text i at its end against {@code targets.get(i)}, a class distribution
     * (distillation), instead of its label; empty: every text against its label.
     */
    public ClassifierTrainer(Settings settings, List<float[]> targets) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.targets = List.copyOf(targets);
    }

    /**
     * The settings of a run.
     *
     * @param epochs passes over the training texts
     * @param batchSize texts per optimiser step
     * @param prefixes prefix ends scored per text (see {@link ClassifierStep})
     * @param seed the seed of every random choice
     * @param maxTokens the most tokens of a training text used (0: all); dev texts are always read whole
     * @param keepEnd whether a truncated training text keeps its last {@code maxTokens} tokens rather than its first
     * @param schedule the learning rate's shape after the warm-up
     * @param learningRate the peak learning rate
     * @param warmup warm-up steps
     * @param classWeights the loss weight of each class, in label order (empty: every class 1)
     * @param adversarialEpsilon the relative size of the adversarial perturbation of each text's input
     *     (0: no adversarial training; see {@link ClassifierStep})
     */
    public record Settings(int epochs, int batchSize, int prefixes, long seed, int maxTokens, boolean keepEnd,
                           LearningRateSchedule.Shape schedule, double learningRate, int warmup,
                           List<Double> classWeights, double adversarialEpsilon) {
        /** Validates the fields and copies the list. */
        public Settings {
            Objects.requireNonNull(schedule, "schedule");
            classWeights = List.copyOf(classWeights);
            if (epochs < 1 || batchSize < 1 || prefixes < 1 || maxTokens < 0 || warmup < 0 || !(learningRate > 0)
                    || !(adversarialEpsilon >= 0)) {
                throw new IllegalArgumentException("epochs, batchSize and prefixes must be at least 1, maxTokens, "
                        + "warmup and the adversarial epsilon at least 0 and the learning rate positive");
            }
        }

        /** Settings with every class weighted 1 and no adversarial training. */
        public Settings(int epochs, int batchSize, int prefixes, long seed, int maxTokens, boolean keepEnd,
                        LearningRateSchedule.Shape schedule, double learningRate, int warmup) {
            this(epochs, batchSize, prefixes, seed, maxTokens, keepEnd, schedule, learningRate, warmup, List.of(), 0);
        }

        /** These settings with these class weights. */
        public Settings withClassWeights(List<Double> weights) {
            return new Settings(epochs, batchSize, prefixes, seed, maxTokens, keepEnd, schedule, learningRate, warmup,
                    weights, adversarialEpsilon);
        }

        /** These settings with adversarial training at this relative epsilon (0: none). */
        public Settings withAdversarialEpsilon(double epsilon) {
            return new Settings(epochs, batchSize, prefixes, seed, maxTokens, keepEnd, schedule, learningRate, warmup,
                    classWeights, epsilon);
        }

        /**
         * Weights that balance classes of unequal size: {@code n / (k * n_c)} for n texts, k classes and
         * n_c texts of class c, so that every class contributes equally to the loss (a class without texts
         * gets weight 1).
         */
        public static List<Double> balancedWeights(int[] counts) {
            long total = 0;
            for (int count : counts) {
                total += count;
            }
            List<Double> weights = new ArrayList<>(counts.length);
            for (int count : counts) {
                weights.add(count == 0 ? 1.0 : (double) total / ((double) counts.length * count));
            }
            return weights;
        }
    }

    /**
     * What one epoch measured.
     *
     * @param epoch 1-based
     * @param loss the mean training loss
     * @param tokensPerSecond training tokens per second of training wall time
     * @param devAccuracy the fraction of dev texts classified correctly after the epoch
     * @param seconds the epoch's training wall time, without the dev evaluation
     */
    public record Epoch(int epoch, double loss, double tokensPerSecond, double devAccuracy, double seconds) {
    }

    /**
     * Where a run is, after each batch.
     *
     * @param epoch the 1-based epoch
     * @param epochs epochs in the run
     * @param batch batches of this epoch done
     * @param batches batches per epoch
     * @param meanLoss the mean loss of this epoch's batches so far
     * @param tokensPerSecond this epoch's training tokens per second so far
     * @param learningRate the learning rate of the last step
     */
    public record Progress(int epoch, int epochs, int batch, int batches, double meanLoss, double tokensPerSecond,
                           double learningRate) {
        /** The fraction of the whole run done, in [0, 1]. */
        public double fractionDone() {
            return ((epoch - 1) + (double) batch / batches) / epochs;
        }
    }

    /** Receives progress; called on the training thread. */
    public interface Listener {
        /** After every batch. */
        default void batch(Progress progress) {
        }

        /** After every epoch and its dev evaluation. */
        default void epoch(Epoch epoch) {
        }

        /** After a checkpoint was written. */
        default void checkpointed(Path file) {
        }
    }

    /**
     * How a run saves and checks checkpoints.
     *
     * @param settingsKey identifies the run's settings and data; a checkpoint resumes only a run with the same key
     * @param file where checkpoints go, if anywhere
     * @param interval the least time between two checkpoints within an epoch; one is also written after each epoch
     */
    public record Checkpointing(String settingsKey, Optional<Path> file, Duration interval) {
        /** Validates the fields. */
        public Checkpointing {
            Objects.requireNonNull(settingsKey, "settingsKey");
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(interval, "interval");
        }

        /** No checkpoints. */
        public static Checkpointing none() {
            return new Checkpointing("", Optional.empty(), Duration.ZERO);
        }

        /**
         * Fails unless {@code checkpoint} was written by a run with this run's settings key.
         *
         * @throws IllegalArgumentException naming both keys
         */
        void requireSameRun(TrainingCheckpoint checkpoint) {
            if (!checkpoint.settingsKey().equals(settingsKey)) {
                throw new IllegalArgumentException("the checkpoint belongs to a run with other settings:\n  "
                        + checkpoint.settingsKey() + "\nthis run:\n  " + settingsKey);
            }
        }

        /**
         * Writes a checkpoint of {@code parameters} and {@code optimiser} at a position ({@code at} turns copies of
         * the parameter values and the optimiser's state into the checkpoint) and tells {@code listener}.
         *
         * @throws UncheckedIOException if it cannot be written
         */
        void save(ClassifierParameters parameters, Optimiser optimiser, Listener listener,
                  BiFunction<List<float[]>, Optimiser.State, TrainingCheckpoint> at) {
            List<float[]> values = parameters.values();
            List<float[]> copies = new ArrayList<>(values.size());
            for (float[] v : values) {
                copies.add(v.clone());
            }
            Path path = file.orElseThrow();
            try {
                at.apply(copies, optimiser.state(values)).write(path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the checkpoint " + path, e);
            }
            listener.checkpointed(path);
        }
    }

    /**
     * What a run measured.
     *
     * @param epochs one entry per epoch of the run, those finished before a resume included
     * @param seconds the run's wall time in training and dev evaluation, time before a resume included
     */
    public record Run(List<Epoch> epochs, double seconds) {
        /** Copies the list. */
        public Run {
            epochs = List.copyOf(epochs);
        }
    }

    /** Trains {@code parameters} in place from the start, without checkpoints. */
    public Run train(ClassifierParameters parameters, ClassifierEncoding encoding, List<LabelledText> train,
                     List<LabelledText> dev, Optimiser optimiser, Listener listener) {
        return train(parameters, encoding, train, dev, optimiser, listener, Checkpointing.none(), Optional.empty());
    }

    /**
     * Trains {@code parameters} in place and returns one {@link Epoch} per epoch of the run (those
     * finished before {@code resume} included) and the run's wall time.
     *
     * @param optimiser a fresh optimiser; its state is restored from {@code resume} if given
     * @param resume a checkpoint of this run to continue from
     * @throws IllegalArgumentException if {@code resume} belongs to a run with other settings or data
     * @throws UncheckedIOException if a checkpoint cannot be written
     */
    public Run train(ClassifierParameters parameters, ClassifierEncoding encoding, List<LabelledText> train,
                     List<LabelledText> dev, Optimiser optimiser, Listener listener, Checkpointing checkpointing,
                     Optional<TrainingCheckpoint> resume) {
        List<ClassifierStep.Example> examples = encode(encoding, train);
        int batches = (examples.size() + settings.batchSize() - 1) / settings.batchSize();
        if (batches == 0) {
            throw new IllegalArgumentException("no training text has any token");
        }
        long totalSteps = (long) batches * settings.epochs();
        LearningRateSchedule schedule = new LearningRateSchedule(settings.schedule(), settings.learningRate(),
                (int) Math.min(settings.warmup(), totalSteps - 1), totalSteps);
        ClassifierStep step = new ClassifierStep(settings.prefixes(), settings.classWeights(),
                settings.adversarialEpsilon());
        Position at = new Position();
        List<Epoch> finished = new ArrayList<>();
        if (resume.isPresent()) {
            TrainingCheckpoint checkpoint = resume.get();
            checkpointing.requireSameRun(checkpoint);
            long stepsExpected = (long) (checkpoint.epoch() - 1) * batches + checkpoint.nextBatch();
            if (checkpoint.optimiser().steps() != stepsExpected) {
                throw new IllegalArgumentException("the checkpoint has taken " + checkpoint.optimiser().steps()
                        + " steps but its position means " + stepsExpected + ": the data differ");
            }
            parameters.load(checkpoint.parameters());
            optimiser.restore(parameters.values(), checkpoint.optimiser());
            at = new Position(checkpoint);
            finished.addAll(checkpoint.finished());
        }
        for (; at.epoch <= settings.epochs(); at.nextEpoch()) {
            List<ClassifierStep.Example> order = new ArrayList<>(examples);
            Collections.shuffle(order, new Random(mix(settings.seed(), at.epoch, -1)));
            long lastCheckpoint = System.nanoTime();
            for (; at.nextBatch < batches; ) {
                long start = System.nanoTime();
                int from = at.nextBatch * settings.batchSize();
                List<ClassifierStep.Example> batch = order.subList(from, Math.min(from + settings.batchSize(),
                        order.size()));
                long batchSeed = mix(settings.seed(), at.epoch, at.nextBatch);
                ClassifierGradients gradients = step.gradients(parameters, batch,
                        example -> new TrainingNoise(new SplittableRandom(mix(batchSeed, example, 0))));
                double rate = schedule.rate(optimiser.steps());
                optimiser.step(parameters.paired(gradients), rate);
                at.lossSum += gradients.loss();
                for (ClassifierStep.Example example : batch) {
                    at.tokens += example.tokens().length;
                }
                at.nextBatch++;
                double seconds = (System.nanoTime() - start) / 1e9;
                at.epochSeconds += seconds;
                at.totalSeconds += seconds;
                if (checkpointing.file().isPresent() && at.nextBatch < batches
                        && System.nanoTime() - lastCheckpoint >= checkpointing.interval().toNanos()) {
                    save(checkpointing, at, finished, parameters, optimiser, listener);
                    lastCheckpoint = System.nanoTime();
                }
                listener.batch(new Progress(at.epoch, settings.epochs(), at.nextBatch, batches,
                        at.lossSum / at.nextBatch, at.tokens / at.epochSeconds, rate));
            }
            long evaluationStart = System.nanoTime();
            double accuracy = ClassifierEvaluation.of(ClassifierFrontEnd.of(encoding.input(parameters)),
                    parameters.stack(), parameters.head(), parameters.readout(), dev).accuracy();
            at.totalSeconds += (System.nanoTime() - evaluationStart) / 1e9;
            Epoch result = new Epoch(at.epoch, at.lossSum / batches, at.tokens / at.epochSeconds, accuracy,
                    at.epochSeconds);
            finished.add(result);
            Position next = at.copy();
            next.nextEpoch();
            if (checkpointing.file().isPresent()) {
                save(checkpointing, next, finished, parameters, optimiser, listener);
            }
            listener.epoch(result);
        }
        return new Run(finished, at.totalSeconds);
    }

    private static void save(Checkpointing checkpointing, Position at, List<Epoch> finished,
                             ClassifierParameters parameters, Optimiser optimiser, Listener listener) {
        checkpointing.save(parameters, optimiser, listener, (values, state) -> new TrainingCheckpoint(
                checkpointing.settingsKey(), at.epoch, at.nextBatch, at.lossSum, at.tokens, at.epochSeconds,
                at.totalSeconds, finished, values, state));
    }

    private List<ClassifierStep.Example> encode(ClassifierEncoding encoding, List<LabelledText> texts) {
        List<ClassifierStep.Example> examples = new ArrayList<>(texts.size());
        int max = settings.maxTokens();
        if (!targets.isEmpty() && targets.size() != texts.size()) {
            throw new IllegalArgumentException(targets.size() + " targets for " + texts.size() + " training texts");
        }
        for (int i = 0; i < texts.size(); i++) {
            LabelledText text = texts.get(i);
            int[] tokens = encoding.ids(text.text());
            if (max > 0 && tokens.length > max) {
                tokens = settings.keepEnd() ? Arrays.copyOfRange(tokens, tokens.length - max, tokens.length)
                        : Arrays.copyOf(tokens, max);
            }
            if (tokens.length > 0) {
                examples.add(new ClassifierStep.Example(tokens, text.label(),
                        targets.isEmpty() ? new float[0] : targets.get(i)));
            }
        }
        return examples;
    }

    /** A seed for the random stream of (seed, epoch, batch); batch -1 is the epoch's shuffle. */
    static long mix(long seed, int epoch, int batch) {
        long x = seed * 0x9E3779B97F4A7C15L + epoch;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L + batch;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }

    /** The mutable position of a run. */
    private static final class Position {
        private int epoch = 1;
        private int nextBatch;
        private double lossSum;
        private long tokens;
        private double epochSeconds;
        private double totalSeconds;

        Position() {
        }

        Position(TrainingCheckpoint checkpoint) {
            epoch = checkpoint.epoch();
            nextBatch = checkpoint.nextBatch();
            lossSum = checkpoint.epochLossSum();
            tokens = checkpoint.epochTokens();
            epochSeconds = checkpoint.epochSeconds();
            totalSeconds = checkpoint.totalSeconds();
        }

        Position copy() {
            Position copy = new Position();
            copy.epoch = epoch;
            copy.nextBatch = nextBatch;
            copy.lossSum = lossSum;
            copy.tokens = tokens;
            copy.epochSeconds = epochSeconds;
            copy.totalSeconds = totalSeconds;
            return copy;
        }

        void nextEpoch() {
            epoch++;
            nextBatch = 0;
            lossSum = 0;
            tokens = 0;
            epochSeconds = 0;
        }
    }
}
