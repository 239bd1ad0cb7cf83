package dev.qrnnstreams.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The classes of a classifier, named by the data: their names in label order, and the aliases under
 * which a file may write them (the SST-2 and IMDb files write {@code 0} and {@code 1} for
 * {@code negative} and {@code positive}). Turns the rows a {@link LabelledTextReader} read into
 * {@link LabelledText}s, failing on (or, when asked, skipping and counting) a label that is not one of
 * the classes.
 *
 * @param names the class names; the label of a text is an index into them
 * @param aliases label values as written in a file, mapped to class names
 */
public record ClassLabels(List<String> names, Map<String, String> aliases) {
    /** Copies the collections and checks that there are at least two distinct classes. */
    public ClassLabels {
        names = List.copyOf(names);
        aliases = Map.copyOf(aliases);
        if (names.size() < 2 || new TreeSet<>(names).size() != names.size()) {
            throw new IllegalArgumentException("a classifier needs at least 2 distinct classes, was " + names);
        }
    }

    /** These classes, written by their names. */
    public static ClassLabels of(List<String> names) {
        return new ClassLabels(names, Map.of());
    }

    /**
     * The classes the rows name, sorted (so the order does not depend on the order of the rows).
     *
     * @throws BadDataException if the rows name fewer than two classes
     */
    public static ClassLabels of(LabelledTextReader.Rows rows) throws BadDataException {
        TreeSet<String> names = new TreeSet<>();
        rows.rows().forEach(row -> names.add(row.label()));
        if (names.size() < 2) {
            throw new BadDataException(rows.file(), 0, "a classifier needs at least 2 classes, the labels are "
                    + names);
        }
        return of(new ArrayList<>(names));
    }

    /** The label index of a value as written in a file, or -1 if it names no class. */
    public int index(String value) {
        return names.indexOf(aliases.getOrDefault(value, value));
    }

    /**
     * Labelled texts.
     *
     * @param texts the texts whose label names a class
     * @param skipped one message per row left out, by the reader or for its label
     */
    public record Labelled(List<LabelledText> texts, List<String> skipped) {
        /** Copies the lists. */
        public Labelled {
            texts = List.copyOf(texts);
            skipped = List.copyOf(skipped);
        }
    }

    /**
     * The rows as labelled texts.
     *
     * @param skipUnknown whether a row with an unknown label is skipped and counted rather than failing
     * @throws BadDataException naming the file and line of the first unknown label, unless skipped
     */
    public Labelled label(LabelledTextReader.Rows rows, boolean skipUnknown) throws BadDataException {
        List<LabelledText> texts = new ArrayList<>(rows.rows().size());
        List<String> skipped = new ArrayList<>(rows.skipped());
        for (LabelledTextReader.Row row : rows.rows()) {
            int label = index(row.label());
            if (label >= 0) {
                texts.add(new LabelledText(row.text(), label));
                continue;
            }
            BadDataException bad = new BadDataException(rows.file(), row.line(), "unknown label '" + row.label()
                    + "'; the classes are " + names);
            if (!skipUnknown) {
                throw bad;
            }
            skipped.add(bad.getMessage());
        }
        return new Labelled(texts, skipped);
    }

    /** The number of texts of each class, in label order. */
    public int[] counts(List<LabelledText> texts) {
        int[] counts = new int[names.size()];
        texts.forEach(text -> counts[text.label()]++);
        return counts;
    }

    /** {@code name count, name count, ...}, for messages. */
    public String describe(List<LabelledText> texts) {
        int[] counts = counts(texts);
        List<String> parts = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            parts.add(names.get(c) + " " + counts[c]);
        }
        return String.join(", ", parts);
    }
}
