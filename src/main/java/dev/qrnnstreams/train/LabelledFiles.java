package dev.qrnnstreams.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A user's own labelled data as training and dev sets: a training file, and a dev file or a dev set
 * carved from the training file ({@link LabelledText#stratifiedSplit}), read by one
 * {@link LabelledTextReader}. The classes are the ones given, or else every label of the training file,
 * sorted. The provenance records the reader's settings and the split, so that {@code eval} and the
 * shipped-model checks can rebuild the same dev set.
 *
 * @param reader reads both files
 * @param train the training file
 * @param dev the dev file, or empty to carve the dev set from {@code train}
 * @param classes the class names in label order, or empty to take them from the training file
 * @param devFraction the share of each class carved out as the dev set, when there is no dev file
 * @param splitSeed the seed of the carve
 * @param skipBadRows whether rows with an unknown label are skipped and counted (the reader's own bad rows
 *     follow its own setting)
 * @param dataDirectory file names under it are recorded relative to it
 * @param about description, source and terms of the data, recorded as given
 */
public record LabelledFiles(LabelledTextReader reader, Path train, Optional<Path> dev, Optional<List<String>> classes,
                            double devFraction, long splitSeed, boolean skipBadRows, Path dataDirectory,
                            Map<String, String> about) {
    /** The provenance key of the split method, and its value for a stratified carve. */
    public static final String SPLIT = "split";
    /** The value of {@link #SPLIT} for {@link LabelledText#stratifiedSplit}. */
    public static final String STRATIFIED = "stratified";

    /** Validates the fields and copies the map. */
    public LabelledFiles {
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(train, "train");
        about = Map.copyOf(about);
        if (dev.isEmpty() && !(devFraction > 0 && devFraction < 1)) {
            throw new IllegalArgumentException("devFraction must be in (0, 1), was " + devFraction);
        }
    }

    /**
     * Reads the files, passing the class counts and any skipped rows to {@code log}.
     *
     * @throws BadDataException for the first bad row, unless bad rows are skipped
     */
    public ClassificationData load(Consumer<String> log) throws IOException {
        LabelledTextReader.Rows trainRows = reader.read(train);
        ClassLabels labels = classes.isPresent() ? ClassLabels.of(classes.get()) : ClassLabels.of(trainRows);
        ClassLabels.Labelled trainTexts = labels.label(trainRows, skipBadRows);
        report(trainTexts, log);
        LabelledText.Split split;
        int devSkipped = 0;
        if (dev.isPresent()) {
            ClassLabels.Labelled devTexts = labels.label(reader.read(dev.get()), skipBadRows);
            report(devTexts, log);
            devSkipped = devTexts.skipped().size();
            split = new LabelledText.Split(trainTexts.texts(), devTexts.texts());
        } else {
            split = LabelledText.stratifiedSplit(trainTexts.texts(), devFraction, splitSeed);
        }
        log.accept("classes (train): " + labels.describe(split.train()));
        log.accept("classes (dev): " + labels.describe(split.dev()));
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("dataset", about.getOrDefault("dataset", "own"));
        provenance.put("description", about.getOrDefault("description", "labelled text from " + name(train)));
        provenance.put("source", about.getOrDefault("source", name(train)));
        provenance.put("terms", about.getOrDefault("terms", "not stated"));
        provenance.put("train_file", name(train));
        provenance.put("train_texts", Integer.toString(split.train().size()));
        provenance.put("dev_texts", Integer.toString(split.dev().size()));
        if (dev.isPresent()) {
            provenance.put("dev", name(dev.get()));
        } else {
            provenance.put("dev", "a stratified " + devFraction + " of " + name(train) + " (LabelledText"
                    + ".stratifiedSplit, java.util.Random(" + splitSeed + "))");
            provenance.put(SPLIT, STRATIFIED);
            provenance.put("dev_fraction", Double.toString(devFraction));
            provenance.put("split_seed", Long.toString(splitSeed));
        }
        provenance.putAll(reader.settings());
        provenance.put("train_class_counts", labels.describe(split.train()));
        provenance.put("dev_class_counts", labels.describe(split.dev()));
        provenance.put("skipped_rows", Integer.toString(trainTexts.skipped().size() + devSkipped));
        String key = String.join(" ", "train=" + train.toAbsolutePath().normalize(), "dev=" + dev.map(
                path -> path.toAbsolutePath().normalize().toString()).orElse(devFraction + "@" + splitSeed),
                "reader=" + reader.settings(), "classes=" + labels.names(), "texts=" + split.train().size() + "/"
                        + split.dev().size());
        return new ClassificationData(provenance.get("dataset"), split, labels.names(), provenance, key);
    }

    /**
     * The split a manifest's {@code data} section records ({@code dev_fraction}, {@code split_seed}, and
     * {@link #SPLIT} for a stratified one) applied to {@code texts}, or empty if it records none.
     */
    public static Optional<LabelledText.Split> recordedSplit(List<LabelledText> texts, Map<String, String> provenance) {
        String fraction = provenance.get("dev_fraction");
        String seed = provenance.get("split_seed");
        if (fraction == null || seed == null) {
            return Optional.empty();
        }
        return Optional.of(STRATIFIED.equals(provenance.get(SPLIT))
                ? LabelledText.stratifiedSplit(texts, Double.parseDouble(fraction), Long.parseLong(seed))
                : LabelledText.split(texts, Double.parseDouble(fraction), Long.parseLong(seed)));
    }

    private static void report(ClassLabels.Labelled texts, Consumer<String> log) {
        if (!texts.skipped().isEmpty()) {
            log.accept("skipped " + texts.skipped().size() + " bad rows; the first: " + texts.skipped().get(0));
        }
    }

    /** The file's name relative to the data directory when it lies under it, else as given. */
    private String name(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path root = dataDirectory.toAbsolutePath().normalize();
        return absolute.startsWith(root) ? root.relativize(absolute).toString() : file.toString();
    }
}
