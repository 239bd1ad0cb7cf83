package dev.qrnnstreams.perf;

import java.util.Arrays;

/**
 * Nearest-rank percentiles of a sample of latencies.
 *
 * @param samples how many values the percentiles were taken over
 * @param p50 the median
 * @param p99 the 99th percentile
 * @param p999 the 99.9th percentile
 * @param max the largest value
 */
public record Percentiles(int samples, double p50, double p99, double p999, double max) {

    /** The percentiles of {@code values}; all zero for an empty sample. */
    public static Percentiles of(double[] values) {
        if (values.length == 0) {
            return new Percentiles(0, 0, 0, 0, 0);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new Percentiles(sorted.length, rank(sorted, 0.50), rank(sorted, 0.99), rank(sorted, 0.999),
                sorted[sorted.length - 1]);
    }

    /** The nearest-rank percentile: the smallest value with at least {@code fraction} of the sample at or below it. */
    static double rank(double[] sorted, double fraction) {
        int rank = (int) Math.ceil(fraction * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
