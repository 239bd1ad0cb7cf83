package dev.qrnnstreams.cli;

import dev.qrnnstreams.model.ProjectionSpec;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.nn.Readout;
import dev.qrnnstreams.report.ProgressBar;
import dev.qrnnstreams.train.ClassLabels;
import dev.qrnnstreams.train.ClassificationData;
import dev.qrnnstreams.train.ClassificationDataset;
import dev.qrnnstreams.train.ClassifierRecipe;
import dev.qrnnstreams.train.ClassifierTrainer;
import dev.qrnnstreams.train.Distillation;
import dev.qrnnstreams.train.LabelledFiles;
import dev.qrnnstreams.train.LabelledTextReader;
import dev.qrnnstreams.train.Optimiser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code qrnn train classifier}: trains a densely connected QRNN text classifier, with an embedding input
 * or a compact hashed projection ({@code --input projection}), on the user's own labelled file
 * ({@code --train}, any number of classes named by the data) or a preset (SST-2, IMDb) and writes its model
 * bundle with its training curve and prefix-accuracy plots ({@link ClassifierRecipe}).
 */
@Command(name = "classifier", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a QRNN text classifier on your labelled CSV, TSV or JSON Lines file (--train) or on a",
            "preset data set (--dataset sst2|imdb) and write its bundle to --output:",
            "manifest.json, weights.bin, tokenizer.txt (embedding input only), training-curve.png,",
            "prefix-accuracy.png. --input projection: a pQRNN-style model with no vocabulary.",
            "Checkpoints go to --checkpoint-dir; --resume continues an interrupted run exactly."})
public final class TrainClassifierCommand implements Callable<Integer> {
    private static final long SEED = 2017;

    @Spec
    private CommandSpec spec;

    @Mixin
    private TrainingOptions common;

    @Mixin
    private ReaderOptions reading;

    @Mixin
    private StackOptions stackOptions;

    @Mixin
    private OptimiserOptions optimiserOptions;

    @Mixin
    private RunOptions run;

    @Mixin
    private OwnDataOptions ownData;

    @Option(names = "--dataset", defaultValue = "sst2", converter = OptionConverters.Dataset.class,
            description = "Preset data set under --data-dir when --train is not given: sst2 (train.tsv phrases, "
                    + "dev.tsv) or imdb (dev carved from train.tsv.gz). Default: ${DEFAULT-VALUE}.")
    private ClassificationDataset dataset;

    @Option(names = "--train",
            description = "Your own labelled training file (CSV, TSV or JSON Lines, gzip or not; see --format, "
                    + "--text-column, --label-column). Default: none, the --dataset preset.")
    private Path trainFile;

    @Option(names = "--dev",
            description = "With --train: the dev file, read like it. Default: a dev set carved from --train, "
                    + "stratified by class (--dev-fraction, --split-seed).")
    private Path devFile;

    @Option(names = "--labels", split = ",",
            description = "With --train: the classes, in the model's output order; other labels are errors. "
                    + "Default: every label of the training file, sorted.")
    private List<String> labels;

    @Option(names = "--dev-fraction", defaultValue = "0.1",
            description = "IMDb and --train without --dev: fraction held out as the dev set. Default: ${DEFAULT-VALUE}.")
    private double devFraction;

    @Option(names = "--split-seed", defaultValue = "2017",
            description = "IMDb and --train without --dev: seed of the dev split's shuffle. Default: ${DEFAULT-VALUE}.")
    private long splitSeed;

    @Option(names = "--class-weights", defaultValue = "none",
            description = "Loss weight per class: none (all 1) or balanced (n / (classes * n_c), so each class "
                    + "counts equally). Default: ${DEFAULT-VALUE}.")
    private String classWeights;

    @Option(names = "--adversarial", defaultValue = "0",
            description = "Also train on adversarial examples: each text's input rows moved along the gradient of "
                    + "its loss by this fraction of their norm (Miyato et al. 2017 on text; costs a second forward "
                    + "and backward pass per text). 0: off. Default: ${DEFAULT-VALUE}.")
    private double adversarialEpsilon;

    @Option(names = "--vocab-size", defaultValue = "8000",
            description = "BPE vocabulary size, learned from the training texts. Default: ${DEFAULT-VALUE}.")
    private int vocabularySize;

    @Option(names = "--input", defaultValue = "embedding",
            description = "The model's input: embedding (a BPE vocabulary and a trained embedding) or projection "
                    + "(pQRNN: hashed pieces and character n-grams, a fixed ternary projection, a trained dense "
                    + "bottleneck; no vocabulary). Default: ${DEFAULT-VALUE}.")
    private String input;

    @Option(names = "--features", defaultValue = "256",
            description = "With --input projection: ternary features per token. Default: ${DEFAULT-VALUE}.")
    private int features;

    @Option(names = "--bottleneck", defaultValue = "64",
            description = "With --input projection: the dense bottleneck's width, the stack's input (replaces "
                    + "--emb). Default: ${DEFAULT-VALUE}.")
    private int bottleneck;

    @Option(names = "--min-gram", defaultValue = "2",
            description = "With --input projection: the shortest character n-gram hashed. Default: ${DEFAULT-VALUE}.")
    private int minGram;

    @Option(names = "--max-gram", defaultValue = "4",
            description = "With --input projection: the longest character n-gram hashed. Default: ${DEFAULT-VALUE}.")
    private int maxGram;

    @Option(names = "--lowercase", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "With --input projection: lower-case the text before hashing. Default: ${DEFAULT-VALUE}.")
    private boolean lowercase;

    @Option(names = "--readout", defaultValue = "last", converter = OptionConverters.ReadoutName.class,
            description = "What the head reads: last (the last layer's output) or pooled (that output with its mean "
                    + "and maximum over every token so far, carried in each key's state). Default: ${DEFAULT-VALUE}.")
    private Readout readout;

    @Option(names = "--prefixes", defaultValue = "4",
            description = "Evenly spaced prefix ends of each text in the loss (1: whole text only). "
                    + "Default: ${DEFAULT-VALUE}.")
    private int prefixes;

    @Option(names = "--max-tokens", defaultValue = "0",
            description = "Longest training text in tokens, longer ones truncated (0: no limit; dev texts are "
                    + "always read whole). Default: ${DEFAULT-VALUE}.")
    private int maxTokens;

    @Option(names = "--truncate", defaultValue = "first",
            description = "Which tokens a truncated text keeps: first or last. Default: ${DEFAULT-VALUE}.")
    private String truncate;

    @Option(names = "--init-from",
            description = "Start from this classifier or language-model bundle's tokenizer and weights (transfer learning): its "
                    + "architecture replaces --vocab-size, --emb, --hidden, --layers, --window, --pooling and --dense, and "
                    + "its --zoneout and --dropout apply unless given; when its classes differ from the data's (always "
                    + "for a language model from train lm), only the head starts anew. "
                    + "Default: a new tokenizer and random weights.")
    private Path initFrom;

    @Option(names = "--distil-from",
            description = "Distil from this trained classifier bundle (the teacher, with the data's classes): each "
                    + "training text's loss at its end is taken against its label mixed with the teacher's "
                    + "probabilities. Repeat it for an ensemble of teachers, whose probabilities are averaged. "
                    + "Default: none.")
    private List<Path> distilFrom;

    @Option(names = "--distil-weight", defaultValue = "0.5",
            description = "With --distil-from: the teachers' share of each labelled text's target, in [0, 1]. "
                    + "Default: ${DEFAULT-VALUE}.")
    private double distilWeight;

    @Option(names = "--unlabelled",
            description = "With --distil-from: a CSV, TSV or JSON Lines file of unlabelled texts (gzip or not) that "
                    + "the teachers label; the student also trains on them, each against the teachers' "
                    + "probabilities (self-training on in-domain text). Default: none.")
    private Path unlabelled;

    @Option(names = "--unlabelled-column", defaultValue = "text",
            description = "With --unlabelled: its text column, a header name or 1-based position (JSON Lines: a "
                    + "field). Default: ${DEFAULT-VALUE}.")
    private String unlabelledColumn;

    @Option(names = "--unlabelled-quote", defaultValue = "\"",
            description = "With --unlabelled: its quote character, or none when quotes are plain text (as in IMDb's "
                    + "unsup.tsv.gz). Default: ${DEFAULT-VALUE}.")
    private String unlabelledQuote;

    @Option(names = "--unlabelled-limit", defaultValue = "0",
            description = "With --unlabelled: the most texts read from its start (0: all). Default: ${DEFAULT-VALUE}.")
    private int unlabelledLimit;

    /** Trains and writes the bundle; returns the exit code. */
    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path output = common.output(null);
        long seed = common.seed(SEED);
        Optional<ProjectionSpec> projection = projection();
        String modelName = common.name((trainFile == null ? dataset.id() : ownData.name())
                + (projection.isPresent() ? "-pqrnn" : "-qrnn"));
        QrnnStackSpec stackSpec = projection.isPresent() ? stackOptions.stack(bottleneck) : stackOptions.stack();
        ClassifierTrainer.Settings settings = new ClassifierTrainer.Settings(common.epochs(), run.batch(), prefixes, seed,
                maxTokens, keepEnd(), optimiserOptions.schedule(), optimiserOptions.learningRate(),
                optimiserOptions.warmup()).withAdversarialEpsilon(adversarialEpsilon);
        Optimiser optimiser = optimiserOptions.optimiser();
        boolean balanced = balancedWeights();
        ClassificationData data = data(line -> {
            out.println(line);
            out.flush();
        });
        if (balanced) {
            settings = settings.withClassWeights(ClassifierTrainer.Settings.balancedWeights(
                    ClassLabels.of(data.labels()).counts(data.split().train())));
        }
        ProgressBar bar = run.progressBar();
        ClassifierRecipe.run(new ClassifierRecipe.Options(data, output,
                common.checkpointDirectory(Path.of("target", "checkpoints", modelName)),
                run.checkpointInterval(), run.resume(), Optional.ofNullable(initFrom),
                stackOptions::regularised,
                vocabularySize, projection, stackSpec, readout, settings, optimiser,
                optimiserOptions.key(), optimiserOptions.name(),
                modelName, common.modelVersion(),
                run.commandLine(),
                distillation()),
                new ClassifierTrainer.Listener() {
                    @Override
                    public void batch(ClassifierTrainer.Progress progress) {
                        RunOptions.showBatch(bar, progress);
                    }

                    @Override
                    public void epoch(ClassifierTrainer.Epoch epoch) {
                        bar.clear();
                        out.printf(Locale.ROOT, "epoch %d: loss %.4f, dev accuracy %.4f, %,.0f tokens/s, %s%n",
                                epoch.epoch(), epoch.loss(), epoch.devAccuracy(), epoch.tokensPerSecond(),
                                ProgressBar.duration(epoch.seconds()));
                        out.flush();
                    }
                }, RunOptions.lines(bar, out));
        bar.finish();
        return Main.OK;
    }

    private ClassificationData data(Consumer<String> log) throws IOException {
        if (trainFile == null) {
            if (devFile != null || labels != null || reading.given()) {
                throw new ParameterException(spec.commandLine(), "--dev, --labels and the reading options "
                        + "(--format, --header, --text-column, --label-column, --quote) need --train");
            }
            return dataset.data(common.dataDirectory(), devFraction, splitSeed);
        }
        if (reading.preset().isPresent()) {
            throw new ParameterException(spec.commandLine(), "--format sst2|imdb: use --dataset for the presets");
        }
        return new LabelledFiles(reading.reader(LabelledTextReader.builder()), trainFile, Optional.ofNullable(devFile),
                Optional.ofNullable(labels), devFraction, splitSeed, reading.skipBadRows(), common.dataDirectory(),
                ownData.about()).load(log);
    }

    private Optional<Distillation> distillation() {
        if (distilFrom == null) {
            if (unlabelled != null) {
                throw new ParameterException(spec.commandLine(), "--unlabelled needs --distil-from: the teachers "
                        + "label its texts");
            }
            return Optional.empty();
        }
        try {
            return Optional.of(new Distillation(distilFrom, distilWeight, Optional.ofNullable(unlabelled)
                    .map(file -> new Distillation.Unlabelled(file, unlabelledReader(), unlabelledLimit))));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The reader of the {@code --unlabelled} file: its text column, its quoting; rows with no text skipped. */
    private LabelledTextReader unlabelledReader() {
        return LabelledTextReader.builder().unlabelled().textColumn(unlabelledColumn)
                .quote(ReaderOptions.quoteCharacter(spec.commandLine(), "--unlabelled-quote", unlabelledQuote))
                .skipBadRows(true).build();
    }

    private boolean balancedWeights() {
        return switch (classWeights) {
            case "none" -> false;
            case "balanced" -> true;
            default -> throw new ParameterException(spec.commandLine(),
                    "--class-weights must be none or balanced, was " + classWeights);
        };
    }

    private Optional<ProjectionSpec> projection() {
        return switch (input) {
            case "embedding" -> Optional.empty();
            case "projection" -> {
                if (initFrom != null) {
                    throw new ParameterException(spec.commandLine(), "--init-from needs --input embedding");
                }
                try {
                    yield Optional.of(new ProjectionSpec(features, minGram, maxGram, lowercase));
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), e.getMessage());
                }
            }
            default -> throw new ParameterException(spec.commandLine(),
                    "--input must be embedding or projection, was " + input);
        };
    }

    private boolean keepEnd() {
        return switch (truncate) {
            case "first" -> false;
            case "last" -> true;
            default -> throw new ParameterException(spec.commandLine(),
                    "--truncate must be first or last, was " + truncate);
        };
    }
}
