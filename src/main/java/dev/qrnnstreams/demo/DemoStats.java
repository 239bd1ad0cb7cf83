package dev.qrnnstreams.demo;

import dev.qrnnstreams.avro.ErrorKind;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What the demo has seen so far: an immutable snapshot for the live view and the summary.
 *
 * @param elapsedMillis since the feed started
 * @param sent records sent, bad ones included
 * @param required records whose answer (an output or a dead letter) the demo waits for
 * @param answered of those, the ones answered
 * @param classifications classifications read
 * @param translations translations read
 * @param deadLetters dead letters read, by kind
 * @param latency end-to-end latency in milliseconds, from an input's event time to the moment the demo's
 *     read_committed consumer sees its output
 * @param outputsPerSecond outputs and dead letters read per second, from the first send to the last read
 * @param accuracy per classifier, the final classification of each finished review against its label
 * @param latestClassifications the newest classifications, newest last
 * @param latestTranslations the newest translations, newest last
 */
public record DemoStats(long elapsedMillis, long sent, long required, long answered, long classifications,
                 long translations, Map<ErrorKind, Long> deadLetters, Latency latency, double outputsPerSecond,
                 Map<String, Accuracy> accuracy, List<String> latestClassifications, List<String> latestTranslations) {

    /** Copies the collections. */
    public DemoStats {
        deadLetters = Map.copyOf(deadLetters);
        accuracy = Map.copyOf(accuracy);
        latestClassifications = List.copyOf(latestClassifications);
        latestTranslations = List.copyOf(latestTranslations);
    }

    /** Outputs and dead letters read. */
    public long received() {
        return classifications + translations + deadLetterCount();
    }

    /** Dead letters read, of every kind. */
    public long deadLetterCount() {
        return deadLetters.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Percentiles of the end-to-end latency.
     *
     * @param samples how many outputs were timed
     * @param p50 the median, milliseconds
     * @param p99 the 99th percentile, milliseconds
     */
    public record Latency(int samples, long p50, long p99) {
        static Latency of(long[] millis) {
            if (millis.length == 0) {
                return new Latency(0, 0, 0);
            }
            long[] sorted = millis.clone();
            Arrays.sort(sorted);
            return new Latency(sorted.length, rank(sorted, 0.50), rank(sorted, 0.99));
        }

        /** The nearest-rank percentile. */
        private static long rank(long[] sorted, double fraction) {
            int rank = (int) Math.ceil(fraction * sorted.length);
            return sorted[Math.max(0, rank - 1)];
        }
    }

    /**
     * A classifier's accuracy on finished reviews.
     *
     * @param correct reviews whose final label matched
     * @param reviews finished reviews
     */
    public record Accuracy(long correct, long reviews) {
        /** The share of reviews classified correctly; 0 before the first. */
        public double fraction() {
            return reviews == 0 ? 0 : (double) correct / reviews;
        }
    }
}
