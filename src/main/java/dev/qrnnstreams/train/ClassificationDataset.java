package dev.qrnnstreams.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sentiment data sets of {@code shared/data} (see its README) as presets of the general path
 * ({@link LabelledTextReader}, {@link ClassLabels}): where their files lie under the data directory, their
 * columns, how the dev split is made, and their provenance and terms for a model's manifest. Both are TSV
 * with a header and no quoting (their texts hold plain quote characters), labelled {@code 0} (negative) and
 * {@code 1} (positive).
 */
public enum ClassificationDataset {
    /**
     * Stanford Sentiment Treebank, binary, GLUE packaging: {@code sst2/train.tsv} (67,349 phrases and
     * sentences) to train on, {@code sst2/dev.tsv} (872 sentences) as the dev set.
     */
    SST2("sst2/train.tsv", "sentence",
            "Stanford Sentiment Treebank, binary (GLUE SST-2): phrase-level train.tsv; dev.tsv as dev",
            "GLUE SST-2 as copied in github.com/eyalbd2/Reproducing-AutoPrompt (glue_data/SST-2)",
            "research use; cite Socher et al. 2013, Recursive Deep Models for Semantic Compositionality Over a "
                    + "Sentiment Treebank, EMNLP"),
    /**
     * IMDb Large Movie Review Dataset v1.0, official train split ({@code imdb/train.tsv.gz}, 25,000
     * reviews); the dev set is carved out of it by {@link LabelledText#split} with a fixed seed.
     */
    IMDB("imdb/train.tsv.gz", "text",
            "IMDb Large Movie Review Dataset v1.0, official train split; dev carved from it",
            "Stanford aclImdb_v1, as copied in github.com/iamsorenl/Feature-Engineering-and-Sentiment-Analysis",
            "research use; cite Maas et al. 2011, Learning Word Vectors for Sentiment Analysis, ACL");

    /** The class names of both data sets, in label order. */
    public static final List<String> LABELS = List.of("negative", "positive");
    /** Both data sets' classes, written {@code 0} and {@code 1} in their files. */
    public static final ClassLabels CLASSES = new ClassLabels(LABELS, Map.of("0", "negative", "1", "positive"));
    private final String trainFile;
    private final String textColumn;
    private final String description;
    private final String source;
    private final String terms;

    ClassificationDataset(String trainFile, String textColumn, String description, String source, String terms) {
        this.trainFile = trainFile;
        this.textColumn = textColumn;
        this.description = description;
        this.source = source;
        this.terms = terms;
    }

    /** The lower-case name used on the command line and in manifests. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The data set called {@code id} ({@code sst2} or {@code imdb}). */
    public static ClassificationDataset of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    /** The training file under {@code dataDirectory}. */
    public Path trainFile(Path dataDirectory) {
        return dataDirectory.resolve(trainFile);
    }

    /** The reader of this data set's files: TSV with a header, no quoting, its text and label columns. */
    public LabelledTextReader reader() {
        return LabelledTextReader.builder().format(LabelledTextReader.Format.TSV).quote(null)
                .textColumn(textColumn).labelColumn("label").build();
    }

    /**
     * Reads the training and dev sets from {@code dataDirectory}. For IMDb the dev set is the
     * {@code devFraction} of the train file chosen by {@code splitSeed}; SST-2 uses its own dev file
     * and ignores both.
     */
    public LabelledText.Split load(Path dataDirectory, double devFraction, long splitSeed) throws IOException {
        return switch (this) {
            case SST2 -> new LabelledText.Split(read(trainFile(dataDirectory)),
                    read(dataDirectory.resolve("sst2/dev.tsv")));
            case IMDB -> LabelledText.split(read(trainFile(dataDirectory)), devFraction, splitSeed);
        };
    }

    /** Reads a file of this data set's format (SST-2 TSV or IMDb gzip TSV). */
    public List<LabelledText> read(Path file) throws IOException {
        return CLASSES.label(reader().read(file), false).texts();
    }

    /**
     * The training and dev sets of this data set under {@code dataDirectory}, with their class names and
     * provenance ({@link #load}, {@link #provenance}).
     */
    public ClassificationData data(Path dataDirectory, double devFraction, long splitSeed) throws IOException {
        LabelledText.Split split = load(dataDirectory, devFraction, splitSeed);
        return new ClassificationData(id(), split, LABELS,
                provenance(devFraction, splitSeed, split.train().size(), split.dev().size()),
                String.join(" ", "dataset=" + id(), "train=" + split.train().size(), "dev=" + split.dev().size(),
                        "devFraction=" + devFraction, "splitSeed=" + splitSeed));
    }

    /** Provenance, split and terms of use, for a manifest's {@code data} section. */
    public Map<String, String> provenance(double devFraction, long splitSeed, int trainTexts, int devTexts) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("dataset", id());
        data.put("description", description);
        data.put("source", source);
        data.put("terms", terms);
        data.put("train_file", trainFile);
        data.put("train_texts", Integer.toString(trainTexts));
        data.put("dev_texts", Integer.toString(devTexts));
        if (this == SST2) {
            data.put("dev", "sst2/dev.tsv");
        } else {
            data.put("dev", "the first " + devFraction + " of " + trainFile + " shuffled with java.util.Random("
                    + splitSeed + ") (LabelledText.split)");
            data.put("dev_fraction", Double.toString(devFraction));
            data.put("split_seed", Long.toString(splitSeed));
        }
        return data;
    }
}
