package dev.qrnnstreams.train;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * A text with its class label, and readers for the classification data sets of {@code shared/data}.
 *
 * @param text the raw text (markup included; the tokenizer's normaliser cleans it)
 * @param label the class index
 */
public record LabelledText(String text, int label) {

    /** Validates the fields. */
    public LabelledText {
        Objects.requireNonNull(text, "text");
        if (label < 0) {
            throw new IllegalArgumentException("label must not be negative, was " + label);
        }
    }

    /** SST-2 in its GLUE packaging: a header line, then {@code sentence<TAB>label} per line. */
    public static List<LabelledText> readSst2(Path tsv) throws IOException {
        try (InputStream in = Files.newInputStream(tsv)) {
            return readColumns(in, tsv, 0, 1);
        }
    }

    /** The IMDb reviews file: gzip, a header line, then {@code id<TAB>label<TAB>rating<TAB>text} per line. */
    public static List<LabelledText> readImdb(Path tsvGz) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tsvGz))) {
            return readColumns(in, tsvGz, 3, 1);
        }
    }

    private static List<LabelledText> readColumns(InputStream in, Path source, int textColumn, int labelColumn)
            throws IOException {
        List<LabelledText> rows = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        reader.readLine();
        String line;
        int number = 1;
        while ((line = reader.readLine()) != null) {
            number++;
            String[] columns = line.split("\t", -1);
            if (columns.length <= Math.max(textColumn, labelColumn)) {
                throw new IOException(source + " line " + number + " has " + columns.length + " columns");
            }
            try {
                rows.add(new LabelledText(columns[textColumn], Integer.parseInt(columns[labelColumn].trim())));
            } catch (IllegalArgumentException e) {
                throw new IOException(source + " line " + number + ": " + e.getMessage(), e);
            }
        }
        return rows;
    }

    /**
     * A repeatable split: the texts shuffled with {@code seed}, the first {@code devFraction} of them
     * the dev set and the rest the training set.
     */
    public static Split split(List<LabelledText> texts, double devFraction, long seed) {
        if (!(devFraction > 0 && devFraction < 1)) {
            throw new IllegalArgumentException("devFraction must be in (0, 1), was " + devFraction);
        }
        List<LabelledText> shuffled = new ArrayList<>(texts);
        Collections.shuffle(shuffled, new Random(seed));
        int dev = (int) Math.round(shuffled.size() * devFraction);
        return new Split(List.copyOf(shuffled.subList(dev, shuffled.size())), List.copyOf(shuffled.subList(0, dev)));
    }

    /**
     * A training set and a dev set.
     *
     * @param train texts to train on
     * @param dev texts held out to choose hyper-parameters
     */
    public record Split(List<LabelledText> train, List<LabelledText> dev) {
    }
}
