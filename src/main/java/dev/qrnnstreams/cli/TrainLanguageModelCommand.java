package dev.qrnnstreams.cli;

import dev.qrnnstreams.report.ProgressBar;
import dev.qrnnstreams.train.ClassificationData;
import dev.qrnnstreams.train.ClassificationDataset;
import dev.qrnnstreams.train.LabelledText;
import dev.qrnnstreams.train.LabelledFiles;
import dev.qrnnstreams.train.LabelledTextReader;
import dev.qrnnstreams.train.LanguageModelRecipe;
import dev.qrnnstreams.train.LanguageModelTrainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code qrnn train lm}: trains a causal QRNN language model on unlabelled text (the IMDb preset: the 49,730
 * unlabelled reviews and the training part of the classifier's split of the labelled ones) and writes its
 * bundle ({@link LanguageModelRecipe}); {@code train classifier --init-from} starts a classifier from it.
 */
@Command(name = "lm", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a causal QRNN language model on unlabelled text and write its bundle to --output",
            "(manifest.json, weights.bin, tokenizer.txt). --dataset imdb: imdb/unsup.tsv.gz and the training part",
            "of imdb/train.tsv.gz (the dev part, as the classifier splits it, gives the dev perplexity).",
            "--train FILE (repeatable): your own CSV, TSV or JSON Lines text; with --label-column, one labelled",
            "file whose dev set is carved as train classifier carves it. A classifier starts from the model with",
            "train classifier --init-from; --init-from here continues a language model on new text."})
public final class TrainLanguageModelCommand implements Callable<Integer> {
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

    @Option(names = "--dataset", defaultValue = "imdb",
            description = "Preset when --train is not given: imdb. Default: ${DEFAULT-VALUE}.")
    private String dataset;

    @Option(names = "--train", description = "Your own text file (repeatable), read with --text-column and the "
            + "other reading options. Labels are read only with --label-column, and then only to carve the dev set "
            + "as train classifier does (one file). Default: none, the --dataset preset.")
    private List<Path> trainFiles;

    @Option(names = "--dev", description = "With --train: the dev file. Default: carved from the training texts "
            + "(--dev-fraction, --split-seed).")
    private Path devFile;

    @Option(names = "--dev-fraction", defaultValue = "0.1",
            description = "Fraction held out as the dev set (IMDb: as the classifier's split). Default: ${DEFAULT-VALUE}.")
    private double devFraction;

    @Option(names = "--split-seed", defaultValue = "2017",
            description = "Seed of the dev split's shuffle. Default: ${DEFAULT-VALUE}.")
    private long splitSeed;

    @Option(names = "--dev-texts", defaultValue = "500",
            description = "The first this many dev texts give the dev perplexity (0: all). Default: ${DEFAULT-VALUE}.")
    private int devTexts;

    @Option(names = "--max-texts", defaultValue = "0",
            description = "Train on this many training texts, drawn with --seed (0: all). Default: ${DEFAULT-VALUE}.")
    private int maxTexts;

    @Option(names = "--tokenizer-from",
            description = "Use this bundle's tokenizer (a classifier or a language model), so that its classifiers "
                    + "can start from this model. Default: learn one (--vocab-size).")
    private Path tokenizerFrom;

    @Option(names = "--init-from",
            description = "Start from this language model: its tokenizer, architecture and weights, with --dropout "
                    + "and --zoneout overriding its own when given. Continues pre-training, or fine-tunes it on the "
                    + "text of a task's domain before a classifier starts from it. Default: random weights.")
    private Path initFrom;

    @Option(names = "--vocab-size", defaultValue = "16000",
            description = "BPE vocabulary size learned from the training texts. Default: ${DEFAULT-VALUE}.")
    private int vocabularySize;

    @Option(names = "--max-tokens", defaultValue = "256",
            description = "Each text's first this many tokens are read (0: all). Default: ${DEFAULT-VALUE}.")
    private int maxTokens;

    @Option(names = "--samples", defaultValue = "1024",
            description = "Sampled softmax: candidate tokens drawn per batch (unigram^0.75); 0 for the exact "
                    + "softmax over the whole vocabulary. Default: ${DEFAULT-VALUE}.")
    private int samples;

    /** Trains and writes the bundle; returns the exit code. */
    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        long seed = common.seed(SEED);
        String name = common.name((trainFiles == null ? dataset : ownData.name()) + "-lm");
        Map<String, String> provenance = new LinkedHashMap<>();
        LabelledText.Split split = texts(provenance);
        List<String> train = sample(split.train().stream().map(LabelledText::text).toList(), seed);
        List<String> dev = split.dev().stream().map(LabelledText::text)
                .limit(devTexts == 0 ? Long.MAX_VALUE : devTexts).toList();
        provenance.put("lm_train_texts", Integer.toString(train.size()));
        provenance.put("lm_dev_texts", Integer.toString(dev.size()));
        ProgressBar bar = run.progressBar();
        LanguageModelRecipe.run(new LanguageModelRecipe.Options(train, dev, provenance, common.output(Path.of("models",
                name)), common.checkpointDirectory(Path.of("target", "checkpoints", name)),
                run.checkpointInterval(), run.resume(), Optional.ofNullable(tokenizerFrom), Optional.ofNullable(initFrom),
                stackOptions::regularised, vocabularySize, maxTokens, stackOptions.stack(), new LanguageModelTrainer.Settings(common.epochs(),
                        run.batch(), seed, samples, optimiserOptions.schedule(), optimiserOptions.learningRate(),
                        optimiserOptions.warmup()), optimiserOptions.optimiser(), optimiserOptions.key(), name,
                common.modelVersion(), run.commandLine()), RunOptions.batches(bar), RunOptions.lines(bar, out));
        bar.finish();
        return Main.OK;
    }

    /** The training and dev texts (labels unused), with their provenance put into {@code provenance}. */
    private LabelledText.Split texts(Map<String, String> provenance) throws IOException {
        Path data = common.dataDirectory();
        if (trainFiles == null) {
            if (!"imdb".equals(dataset)) {
                throw new ParameterException(spec.commandLine(), "--dataset must be imdb (or give --train), was "
                        + dataset);
            }
            LabelledText.Split labelled = ClassificationDataset.IMDB.load(data, devFraction, splitSeed);
            provenance.putAll(ClassificationDataset.IMDB.provenance(devFraction, splitSeed, labelled.train().size(),
                    labelled.dev().size()));
            provenance.put("unlabelled_file", "imdb/unsup.tsv.gz");
            provenance.put("description", "IMDb Large Movie Review Dataset v1.0: the unlabelled reviews and the "
                    + "training part of the official train split (labels unused); the dev part gives the perplexity");
            List<LabelledText> train = new ArrayList<>(read(data.resolve("imdb/unsup.tsv.gz"),
                    LabelledTextReader.builder().format(LabelledTextReader.Format.TSV).quote(null)));
            train.addAll(labelled.train());
            return new LabelledText.Split(train, labelled.dev());
        }
        if (reading.labelColumnGiven()) {
            return classifierSplit(provenance);
        }
        List<LabelledText> train = new ArrayList<>();
        for (Path file : trainFiles) {
            train.addAll(read(file, LabelledTextReader.builder()));
        }
        provenance.put("dataset", "own");
        provenance.putAll(ownData.about());
        provenance.put("train_files", trainFiles.toString());
        if (devFile != null) {
            provenance.put("dev", devFile.toString());
            return new LabelledText.Split(train, read(devFile, LabelledTextReader.builder()));
        }
        provenance.put("dev_fraction", Double.toString(devFraction));
        provenance.put("split_seed", Long.toString(splitSeed));
        return LabelledText.split(train, devFraction, splitSeed);
    }

    /**
     * With {@code --label-column}: the split {@code train classifier} makes of the same file (stratified by class),
     * so that a model fine-tuned on a task's training text never reads that task's dev texts.
     */
    private LabelledText.Split classifierSplit(Map<String, String> provenance) throws IOException {
        if (trainFiles.size() != 1) {
            throw new ParameterException(spec.commandLine(), "--label-column splits one --train file as train "
                    + "classifier does; " + trainFiles.size() + " were given");
        }
        ClassificationData data = new LabelledFiles(reading.reader(LabelledTextReader.builder()), trainFiles.get(0),
                Optional.ofNullable(devFile), Optional.empty(), devFraction, splitSeed, reading.skipBadRows(),
                common.dataDirectory(), ownData.about()).load(line -> spec.commandLine().getOut().println(line));
        provenance.putAll(data.provenance());
        return data.split();
    }

    private List<LabelledText> read(Path file, LabelledTextReader.Builder base) throws IOException {
        return reading.reader(base.unlabelled()).read(file).rows().stream().map(row -> new LabelledText(row.text(), 0)).toList();
    }

    private List<String> sample(List<String> texts, long seed) {
        if (maxTexts == 0 || maxTexts >= texts.size()) {
            return texts;
        }
        List<String> shuffled = new ArrayList<>(texts);
        Collections.shuffle(shuffled, new Random(seed));
        return List.copyOf(shuffled.subList(0, maxTexts));
    }
}
