package dev.qrnnstreams.cli;

import dev.qrnnstreams.model.ClassifierArchitecture;
import dev.qrnnstreams.model.ClassifierBundle;
import dev.qrnnstreams.model.ModelManifest;
import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.report.LineChart;
import dev.qrnnstreams.report.ProgressBar;
import dev.qrnnstreams.text.BpeTokenizer;
import dev.qrnnstreams.text.BpeTrainer;
import dev.qrnnstreams.text.TokenizerFormat;
import dev.qrnnstreams.train.AdamW;
import dev.qrnnstreams.train.ClassificationDataset;
import dev.qrnnstreams.train.ClassifierEvaluation;
import dev.qrnnstreams.train.ClassifierParameters;
import dev.qrnnstreams.train.ClassifierTrainer;
import dev.qrnnstreams.train.LabelledText;
import dev.qrnnstreams.train.LearningRateSchedule;
import dev.qrnnstreams.train.Optimiser;
import dev.qrnnstreams.train.RmsProp;
import dev.qrnnstreams.train.TrainingCheckpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code qrnn train classifier}: trains a densely connected QRNN sentiment classifier on SST-2 or IMDb
 * and writes a {@link ClassifierBundle} with its training curve and prefix-accuracy plots.
 */
@Command(name = "classifier", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a QRNN sentiment classifier on SST-2 or IMDb and write its bundle to --output:",
            "manifest.json, weights.bin, tokenizer.txt, training-curve.png, prefix-accuracy.png.",
            "Checkpoints go to --checkpoint-dir; --resume continues an interrupted run exactly."})
public final class TrainClassifierCommand implements Callable<Integer> {
    /** Prefix fractions of the dev evaluation: 10%, 20%, ..., 100% of each text's tokens. */
    static final List<Double> PREFIX_FRACTIONS = List.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0);
    /** Size of the fixed dev sample (the first texts of the dev set) whose accuracy the manifest records. */
    public static final int DEV_SAMPLE = 200;
    private static final String CHECKPOINT = "checkpoint.bin";
    private static final String TOKENIZER = "tokenizer.txt";

    @Spec
    private CommandSpec spec;

    @Option(names = "--dataset", defaultValue = "sst2", converter = OptionConverters.Dataset.class,
            description = "Data set: sst2 (train.tsv phrases, dev.tsv) or imdb (dev carved from train). "
                    + "Default: ${DEFAULT-VALUE}.")
    private ClassificationDataset dataset;

    @Option(names = "--data-dir", defaultValue = "../shared/data",
            description = "Directory holding sst2/ and imdb/ (see its README). Default: ${DEFAULT-VALUE}.")
    private Path dataDirectory;

    @Option(names = "--dev-fraction", defaultValue = "0.1",
            description = "IMDb: fraction of train.tsv.gz held out as the dev set. Default: ${DEFAULT-VALUE}.")
    private double devFraction;

    @Option(names = "--split-seed", defaultValue = "2017",
            description = "IMDb: seed of the dev split's shuffle. Default: ${DEFAULT-VALUE}.")
    private long splitSeed;

    @Option(names = "--vocab-size", defaultValue = "8000",
            description = "BPE vocabulary size, learned from the training texts. Default: ${DEFAULT-VALUE}.")
    private int vocabularySize;

    @Option(names = "--emb", defaultValue = "64", description = "Embedding width. Default: ${DEFAULT-VALUE}.")
    private int embedding;

    @Option(names = "--hidden", defaultValue = "128", description = "Hidden units per layer. Default: ${DEFAULT-VALUE}.")
    private int hidden;

    @Option(names = "--layers", defaultValue = "2", description = "QRNN layers. Default: ${DEFAULT-VALUE}.")
    private int layers;

    @Option(names = "--window", defaultValue = "2", description = "Convolution width k. Default: ${DEFAULT-VALUE}.")
    private int window;

    @Option(names = "--pooling", defaultValue = "fo", converter = OptionConverters.PoolingName.class,
            description = "Pooling of every layer: f, fo or ifo. Default: ${DEFAULT-VALUE}.")
    private Pooling pooling;

    @Option(names = "--dense", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Densely connected layers (each sees the embedding and all earlier layers). "
                    + "Default: ${DEFAULT-VALUE}.")
    private boolean dense;

    @Option(names = "--zoneout", defaultValue = "0.1",
            description = "Zoneout probability on the forget gate. Default: ${DEFAULT-VALUE}.")
    private double zoneout;

    @Option(names = "--dropout", defaultValue = "0.2",
            description = "Dropout on each layer's input. Default: ${DEFAULT-VALUE}.")
    private double dropout;

    @Option(names = "--optimiser", defaultValue = "adam",
            description = "adam (AdamW, decoupled decay) or rmsprop. Default: ${DEFAULT-VALUE}.")
    private String optimiserName;

    @Option(names = "--lr", defaultValue = "2e-3", description = "Peak learning rate. Default: ${DEFAULT-VALUE}.")
    private double learningRate;

    @Option(names = "--schedule", defaultValue = "cosine", converter = OptionConverters.Schedule.class,
            description = "Learning rate after the warm-up: constant, linear (to 0) or cosine (to 0). "
                    + "Default: ${DEFAULT-VALUE}.")
    private LearningRateSchedule.Shape schedule;

    @Option(names = "--warmup", defaultValue = "100",
            description = "Warm-up steps (linear from lr/warmup to lr). Default: ${DEFAULT-VALUE}.")
    private int warmup;

    @Option(names = "--weight-decay", defaultValue = "0",
            description = "Decoupled weight decay of the weight matrices. Default: ${DEFAULT-VALUE}.")
    private double weightDecay;

    @Option(names = "--clip", defaultValue = "5",
            description = "Largest global gradient norm; larger gradients are scaled down. Default: ${DEFAULT-VALUE}.")
    private double clip;

    @Option(names = "--epochs", defaultValue = "3", description = "Passes over the training set. Default: ${DEFAULT-VALUE}.")
    private int epochs;

    @Option(names = "--batch", defaultValue = "32", description = "Texts per step. Default: ${DEFAULT-VALUE}.")
    private int batch;

    @Option(names = "--prefixes", defaultValue = "4",
            description = "Evenly spaced prefix ends of each text in the loss (1: whole text only). "
                    + "Default: ${DEFAULT-VALUE}.")
    private int prefixes;

    @Option(names = "--seed", defaultValue = "2017",
            description = "Seed of initialisation, shuffling, dropout and zoneout. Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = "--max-tokens", defaultValue = "0",
            description = "Longest training text in tokens, longer ones truncated (0: no limit; dev texts are "
                    + "always read whole). Default: ${DEFAULT-VALUE}.")
    private int maxTokens;

    @Option(names = "--truncate", defaultValue = "first",
            description = "Which tokens a truncated text keeps: first or last. Default: ${DEFAULT-VALUE}.")
    private String truncate;

    @Option(names = "--name", description = "Model name in the manifest. Default: <dataset>-qrnn.")
    private String name;

    @Option(names = "--model-version", defaultValue = "1", description = "Model version. Default: ${DEFAULT-VALUE}.")
    private String modelVersion;

    @Option(names = {"-o", "--output"}, required = true, description = "Bundle directory to write.")
    private Path output;

    @Option(names = "--checkpoint-dir",
            description = "Checkpoint directory (checkpoint.bin, tokenizer.txt). Default: target/checkpoints/<name>.")
    private Path checkpointDirectory;

    @Option(names = "--checkpoint-minutes", defaultValue = "10",
            description = "Minutes between checkpoints within an epoch (one is also written after every epoch). "
                    + "Default: ${DEFAULT-VALUE}.")
    private double checkpointMinutes;

    @Option(names = "--init-from",
            description = "Start from this classifier bundle's tokenizer and weights (transfer learning): its "
                    + "architecture replaces --vocab-size, --emb, --hidden, --layers, --window, --pooling, --dense, "
                    + "--zoneout and --dropout. Default: a new tokenizer and random weights.")
    private Path initFrom;

    @Option(names = "--resume", description = "Continue the run saved in --checkpoint-dir (same options required).")
    private boolean resume;

    @Option(names = "--progress-every", defaultValue = "5",
            description = "When standard error is not a terminal: a progress line every this many percent. "
                    + "Default: ${DEFAULT-VALUE}.")
    private int progressEvery;

    /** Trains and writes the bundle; returns the exit code. */
    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        String modelName = name != null ? name : dataset.id() + "-qrnn";
        Path checkpoints = checkpointDirectory != null ? checkpointDirectory
                : Path.of("target", "checkpoints", modelName);
        Path checkpointFile = checkpoints.resolve(CHECKPOINT);
        Optional<TrainingCheckpoint> saved = Optional.empty();
        if (resume) {
            if (!Files.exists(checkpointFile)) {
                throw new IOException("--resume: no checkpoint at " + checkpointFile);
            }
            saved = Optional.of(TrainingCheckpoint.read(checkpointFile));
        }
        Optional<ClassifierBundle> initial = initFrom == null ? Optional.empty()
                : Optional.of(ClassifierBundle.read(initFrom));
        QrnnStackSpec stackSpec = initial.map(bundle -> bundle.manifest().architecture().stackSpec())
                .orElseGet(() -> QrnnStackSpec.builder().inputSize(embedding).hiddenSize(hidden).layers(layers)
                        .window(window).pooling(pooling).dense(dense).zoneout(zoneout).dropout(dropout).build());
        ClassifierTrainer.Settings settings = new ClassifierTrainer.Settings(epochs, batch, prefixes, seed, maxTokens,
                keepEnd(), schedule, learningRate, warmup);
        Optimiser optimiser = optimiser();

        long start = System.nanoTime();
        LabelledText.Split split = dataset.load(dataDirectory, devFraction, splitSeed);
        out.printf(Locale.ROOT, "%s: %d training texts, %d dev texts%n", dataset.id(), split.train().size(),
                split.dev().size());
        BpeTokenizer tokenizer = initial.isPresent() ? initial.get().tokenizer()
                : tokenizer(split.train(), checkpoints.resolve(TOKENIZER), saved.isPresent());
        out.printf(Locale.ROOT, "tokenizer: %d ids (%.1f s)%n", tokenizer.vocabulary().size(),
                (System.nanoTime() - start) / 1e9);
        out.flush();

        ClassifierParameters parameters = ClassifierParameters.initial(stackSpec, tokenizer.vocabulary().size(),
                ClassificationDataset.LABELS.size(), new SplittableRandom(seed));
        initial.ifPresent(bundle -> parameters.load(weights(bundle)));
        String settingsKey = settingsKey(split, tokenizer, stackSpec, settings)
                + (initFrom == null ? "" : " init=" + initFrom.toAbsolutePath().normalize());
        ClassifierTrainer.Checkpointing checkpointing = new ClassifierTrainer.Checkpointing(settingsKey,
                Optional.of(checkpointFile), Duration.ofMillis(Math.round(checkpointMinutes * 60_000)));
        ProgressBar bar = ProgressBar.onStandardError(progressEvery);
        ClassifierTrainer.Run run = new ClassifierTrainer(settings).train(parameters, tokenizer, split.train(),
                split.dev(), optimiser, new ClassifierTrainer.Listener() {
                    @Override
                    public void batch(ClassifierTrainer.Progress progress) {
                        bar.update(progress.fractionDone(), String.format(Locale.ROOT,
                                "epoch %d/%d loss %.4f %,.0f tokens/s lr %.2e", progress.epoch(), progress.epochs(),
                                progress.meanLoss(), progress.tokensPerSecond(), progress.learningRate()));
                    }

                    @Override
                    public void epoch(ClassifierTrainer.Epoch epoch) {
                        bar.clear();
                        out.printf(Locale.ROOT, "epoch %d: loss %.4f, dev accuracy %.4f, %,.0f tokens/s, %s%n",
                                epoch.epoch(), epoch.loss(), epoch.devAccuracy(), epoch.tokensPerSecond(),
                                ProgressBar.duration(epoch.seconds()));
                        out.flush();
                    }
                }, checkpointing, saved);
        bar.finish();

        ClassifierEvaluation evaluation = ClassifierEvaluation.of(parameters.embedding(), parameters.stack(),
                parameters.head(), tokenizer, split.dev(), PREFIX_FRACTIONS);
        ClassifierEvaluation sample = ClassifierEvaluation.of(parameters.embedding(), parameters.stack(),
                parameters.head(), tokenizer, split.dev().subList(0, Math.min(DEV_SAMPLE, split.dev().size())));
        ModelManifest manifest = new ModelManifest(ClassifierBundle.FORMAT_VERSION, modelName, modelVersion,
                ClassifierBundle.TASK, ClassifierArchitecture.of(stackSpec, tokenizer.vocabulary().size(),
                ClassificationDataset.LABELS),
                provenance(dataset.provenance(devFraction, splitSeed, split.train().size(), split.dev().size()),
                        initial),
                metrics(evaluation, sample), training(run, (System.nanoTime() - start) / 1e9), Map.of());
        new ClassifierBundle(manifest, parameters.embedding(), parameters.stack(), parameters.head(), tokenizer)
                .write(output);
        trainingCurve(modelName, run).writePng(output.resolve("training-curve.png"));
        prefixChart(modelName, evaluation).writePng(output.resolve("prefix-accuracy.png"));
        out.printf(Locale.ROOT, "dev accuracy %.4f (%d texts); after 10%%..100%% of the tokens: %s%n",
                evaluation.accuracy(), evaluation.texts(), percentages(evaluation.prefixAccuracies()));
        out.printf(Locale.ROOT, "wrote %s%n", output);
        return Main.OK;
    }

    /** The data's provenance, with the starting bundle's data and terms when the run started from one. */
    private static Map<String, String> provenance(Map<String, String> data, Optional<ClassifierBundle> initial) {
        if (initial.isEmpty()) {
            return data;
        }
        ModelManifest start = initial.get().manifest();
        Map<String, String> merged = new LinkedHashMap<>(data);
        merged.put("initialised_from", start.name() + " " + start.version() + ", trained on "
                + start.data().getOrDefault("dataset", "unknown data"));
        merged.put("terms", data.get("terms") + "; the starting weights: " + start.data().get("terms"));
        return merged;
    }

    /** The bundle's arrays in the order of {@link ClassifierParameters#values()}. */
    private static List<float[]> weights(ClassifierBundle bundle) {
        List<float[]> values = new ArrayList<>();
        values.add(bundle.embedding().vectors());
        for (int l = 0; l < bundle.stack().layers().size(); l++) {
            values.add(bundle.stack().layer(l).packedWeights());
            values.add(bundle.stack().layer(l).bias());
        }
        values.add(bundle.head().weights());
        values.add(bundle.head().bias());
        return values;
    }

    private boolean keepEnd() {
        return switch (truncate) {
            case "first" -> false;
            case "last" -> true;
            default -> throw new ParameterException(spec.commandLine(),
                    "--truncate must be first or last, was " + truncate);
        };
    }

    private Optimiser optimiser() {
        return switch (optimiserName) {
            case "adam" -> AdamW.builder().weightDecay(weightDecay).clipNorm(clip).build();
            case "rmsprop" -> RmsProp.builder().weightDecay(weightDecay).clipNorm(clip).build();
            default -> throw new ParameterException(spec.commandLine(),
                    "--optimiser must be adam or rmsprop, was " + optimiserName);
        };
    }

    private BpeTokenizer tokenizer(List<LabelledText> train, Path file, boolean resuming) throws IOException {
        if (resuming) {
            return TokenizerFormat.read(file);
        }
        BpeTokenizer tokenizer = BpeTrainer.builder().vocabularySize(vocabularySize).build()
                .train(train.stream().map(LabelledText::text).toList());
        Files.createDirectories(file.toAbsolutePath().getParent());
        TokenizerFormat.write(tokenizer, file);
        return tokenizer;
    }

    private String settingsKey(LabelledText.Split split, BpeTokenizer tokenizer, QrnnStackSpec stackSpec,
                               ClassifierTrainer.Settings settings) {
        return String.join(" ", "dataset=" + dataset.id(), "train=" + split.train().size(),
                "dev=" + split.dev().size(), "devFraction=" + devFraction, "splitSeed=" + splitSeed,
                "vocabulary=" + tokenizer.vocabulary().size(), "stack=" + stackSpec, "settings=" + settings,
                "optimiser=" + optimiserName, "weightDecay=" + weightDecay, "clip=" + clip);
    }

    private static Map<String, Double> metrics(ClassifierEvaluation evaluation, ClassifierEvaluation sample) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("dev_accuracy", evaluation.accuracy());
        metrics.put("dev_texts", (double) evaluation.texts());
        for (int f = 0; f < evaluation.fractions().size(); f++) {
            metrics.put(String.format(Locale.ROOT, "dev_accuracy_prefix_%03d",
                    Math.round(evaluation.fractions().get(f) * 100)), evaluation.prefixAccuracies().get(f));
        }
        metrics.put("dev_sample_accuracy", sample.accuracy());
        metrics.put("dev_sample_texts", (double) sample.texts());
        return metrics;
    }

    private Map<String, String> training(ClassifierTrainer.Run run, double commandSeconds) {
        double tokens = 0;
        double seconds = 0;
        StringBuilder log = new StringBuilder();
        for (ClassifierTrainer.Epoch epoch : run.epochs()) {
            tokens += epoch.tokensPerSecond() * epoch.seconds();
            seconds += epoch.seconds();
            log.append(String.format(Locale.ROOT, "%sepoch %d loss %.4f dev %.4f %.0f tokens/s %.0f s",
                    log.length() == 0 ? "" : "; ", epoch.epoch(), epoch.loss(), epoch.devAccuracy(),
                    epoch.tokensPerSecond(), epoch.seconds()));
        }
        Map<String, String> training = new LinkedHashMap<>();
        training.put("command", "bin/qrnn " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        training.put("wall_time_s", String.format(Locale.ROOT, "%.0f", run.seconds()));
        training.put("command_wall_time_s", String.format(Locale.ROOT, "%.0f", commandSeconds));
        training.put("tokens_per_second", String.format(Locale.ROOT, "%.0f", tokens / seconds));
        training.put("epochs", log.toString());
        training.put("optimiser", optimiserName);
        training.put("java", System.getProperty("java.version"));
        training.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        return training;
    }

    private static LineChart trainingCurve(String modelName, ClassifierTrainer.Run run) {
        int n = run.epochs().size();
        double[] x = new double[n];
        double[] loss = new double[n];
        double[] accuracy = new double[n];
        for (int i = 0; i < n; i++) {
            ClassifierTrainer.Epoch epoch = run.epochs().get(i);
            x[i] = epoch.epoch();
            loss[i] = epoch.loss();
            accuracy[i] = epoch.devAccuracy();
        }
        return new LineChart(modelName + ": training curve", List.of(
                new LineChart.Panel("epoch", "training loss", List.of(new LineChart.Series("mean training loss", x,
                        loss))),
                new LineChart.Panel("epoch", "dev accuracy", List.of(new LineChart.Series("dev accuracy", x,
                        accuracy)))));
    }

    private static LineChart prefixChart(String modelName, ClassifierEvaluation evaluation) {
        int n = evaluation.fractions().size();
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = evaluation.fractions().get(i) * 100;
            y[i] = evaluation.prefixAccuracies().get(i);
        }
        return new LineChart(modelName + ": dev accuracy on text prefixes", List.of(new LineChart.Panel(
                "% of each text's tokens seen", "dev accuracy", List.of(new LineChart.Series("dev accuracy", x, y)))));
    }

    private static String percentages(List<Double> values) {
        List<String> parts = new ArrayList<>();
        for (double v : values) {
            parts.add(String.format(Locale.ROOT, "%.1f", v * 100));
        }
        return String.join(" ", parts);
    }
}
