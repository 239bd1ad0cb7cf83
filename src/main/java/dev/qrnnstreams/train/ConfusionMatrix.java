package dev.qrnnstreams.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Counts of (true class, predicted class) pairs over an evaluation set, and the metrics drawn from them:
 * accuracy, per-class precision, recall and F1, and macro-F1 (the unweighted mean of the per-class F1,
 * so every class counts equally however rare). A class never predicted has precision 0, a class with no
 * texts recall 0, and F1 is 0 where precision and recall are both 0 (scikit-learn's
 * {@code zero_division=0}).
 *
 * @param labels the class names, in label order
 * @param counts {@code counts[actual][predicted]}, a square array of one row per class
 */
public record ConfusionMatrix(List<String> labels, long[][] counts) {
    /** Copies the names and checks the shape. */
    public ConfusionMatrix {
        labels = List.copyOf(labels);
        Objects.requireNonNull(counts, "counts");
        if (counts.length != labels.size()) {
            throw new IllegalArgumentException(counts.length + " rows for " + labels.size() + " classes");
        }
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            if (counts[i].length != labels.size()) {
                throw new IllegalArgumentException("row " + i + " has " + counts[i].length + " columns for "
                        + labels.size() + " classes");
            }
            copy[i] = counts[i].clone();
        }
        counts = copy;
    }

    /** The matrix of these true and predicted labels, pairwise. */
    public static ConfusionMatrix of(List<String> labels, int[] actual, int[] predicted) {
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException(actual.length + " true labels but " + predicted.length + " predictions");
        }
        long[][] counts = new long[labels.size()][labels.size()];
        for (int i = 0; i < actual.length; i++) {
            counts[actual[i]][predicted[i]]++;
        }
        return new ConfusionMatrix(labels, counts);
    }

    /** {@code counts[actual][predicted]}, a copy. */
    @Override
    public long[][] counts() {
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    /** The number of pairs counted. */
    public long total() {
        long total = 0;
        for (long[] row : counts) {
            for (long count : row) {
                total += count;
            }
        }
        return total;
    }

    /** The fraction predicted correctly (0 for no pairs). */
    public double accuracy() {
        long correct = 0;
        for (int c = 0; c < counts.length; c++) {
            correct += counts[c][c];
        }
        long total = total();
        return total == 0 ? 0 : (double) correct / total;
    }

    /** Of the texts predicted as class c, the fraction that are. */
    public double precision(int c) {
        long predicted = 0;
        for (long[] row : counts) {
            predicted += row[c];
        }
        return predicted == 0 ? 0 : (double) counts[c][c] / predicted;
    }

    /** Of the texts of class c, the fraction predicted as c. */
    public double recall(int c) {
        long actual = 0;
        for (long count : counts[c]) {
            actual += count;
        }
        return actual == 0 ? 0 : (double) counts[c][c] / actual;
    }

    /** The harmonic mean of precision and recall of class c. */
    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** The unweighted mean of the per-class F1. */
    public double macroF1() {
        double sum = 0;
        for (int c = 0; c < counts.length; c++) {
            sum += f1(c);
        }
        return sum / counts.length;
    }

    /** The texts of class c. */
    public long support(int c) {
        long actual = 0;
        for (long count : counts[c]) {
            actual += count;
        }
        return actual;
    }

    /** A text report: one line per class (precision, recall, F1, support), then the matrix, rows true classes. */
    public List<String> report() {
        int width = Math.max(8, labels.stream().mapToInt(String::length).max().orElse(0) + 1);
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-" + width + "s %9s %9s %9s %8s", "class", "precision", "recall", "F1",
                "texts"));
        for (int c = 0; c < labels.size(); c++) {
            lines.add(String.format(Locale.ROOT, "%-" + width + "s %9.4f %9.4f %9.4f %8d", labels.get(c), precision(c),
                    recall(c), f1(c), support(c)));
        }
        lines.add("confusion matrix (rows: true class, columns: predicted):");
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", ""));
        int cell = Math.max(7, width);
        for (String label : labels) {
            header.append(String.format(Locale.ROOT, " %" + cell + "s", label));
        }
        lines.add(header.toString());
        for (int a = 0; a < labels.size(); a++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", labels.get(a)));
            for (int p = 0; p < labels.size(); p++) {
                row.append(String.format(Locale.ROOT, " %" + cell + "d", counts[a][p]));
            }
            lines.add(row.toString());
        }
        return lines;
    }
}
