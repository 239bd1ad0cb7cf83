package dev.qrnnstreams.perf;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What one harness run measures and how long it dwells on each measurement; {@link #full} keeps the whole
 * run under about fifteen minutes on two cores (about seven measured), {@link #quick} about three.
 *
 * @param quick whether this is the short run
 * @param output the folder the report, the CSV files and the charts go to
 * @param reviewsFile IMDb reviews (gzip TSV); the demo's bundled sample when absent
 * @param registryHome the unpacked Apicurio registry
 * @param model the classifier bundle served and measured
 * @param reviews reviews cut into messages (about four messages each)
 * @param keys documents open at a time, their messages interleaved
 * @param loadSeconds seconds of paced input per load level
 * @param loads the load levels, as fractions of the measured maximum rate
 * @param latencyRuns the settings under which latency is measured at every load
 * @param batchSizes the values of {@code qrnn.batch.max.records} whose throughput is measured
 * @param restoreKeys keys given state before the changelog restore is timed
 * @param histories the key histories, in tokens, at which the per-message cost is measured
 */
public record BenchSettings(boolean quick, Path output, Path reviewsFile, Path registryHome, Path model, int reviews,
                            int keys, int loadSeconds, List<Double> loads, List<LatencyRun> latencyRuns,
                            List<Integer> batchSizes, int restoreKeys, List<Integer> histories) {
    private static final List<Double> LOADS = List.of(0.25, 0.50, 0.90);
    private static final List<Integer> HISTORIES = List.of(10, 100, 1_000, 10_000);
    private static final int KEYS = 64;

    /** Copies the lists and checks the paths. */
    public BenchSettings {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(reviewsFile, "reviewsFile");
        Objects.requireNonNull(registryHome, "registryHome");
        Objects.requireNonNull(model, "model");
        loads = List.copyOf(loads);
        latencyRuns = List.copyOf(latencyRuns);
        batchSizes = List.copyOf(batchSizes);
        histories = List.copyOf(histories);
    }

    /** The full run: every setting, long enough for stable percentiles (about seven minutes on two cores). */
    public static BenchSettings full(Path output, Path reviewsFile, Path registryHome, Path model) {
        return new BenchSettings(false, output, reviewsFile, registryHome, model, 2_500, KEYS, 10, LOADS,
                List.of(new LatencyRun(100, 0, 256, 20), new LatencyRun(20, 0, 256, 5), new LatencyRun(10, 0, 256, 5),
                        new LatencyRun(100, 20, 256, 5), new LatencyRun(100, 10, 256, 5),
                        new LatencyRun(100, 10, 64, 5), new LatencyRun(100, 10, 256, 5, 5)),
                List.of(1, 16, 64, 256, 1_024), 20_000, HISTORIES);
    }

    /** The smoke run: fewer messages, settings and seconds (about three minutes). */
    public static BenchSettings quick(Path output, Path reviewsFile, Path registryHome, Path model) {
        return new BenchSettings(true, output, reviewsFile, registryHome, model, 600, KEYS, 4, LOADS,
                List.of(new LatencyRun(20, 0, 256, 5), new LatencyRun(100, 10, 256, 5)), List.of(1, 256), 3_000,
                HISTORIES);
    }

    /**
     * Settings that bound latency under exactly-once.
     *
     * @param commitIntervalMs {@code commit.interval.ms}: outputs become visible to read_committed
     *     consumers only at a commit
     * @param caughtUpCommitMs {@code qrnn.commit.caught.up.interval.ms}: the least time between a stream
     *     thread's last commit and an early one that a task keeping up with its input asks for; 0 none
     * @param batchRecords {@code qrnn.batch.max.records}
     * @param batchLatencyMs {@code qrnn.batch.max.latency.ms}
     * @param producerLingerMs {@code producer.linger.ms}, how long the stream threads' producers wait to fill
     *     a batch; {@value #STREAMS_PRODUCER_LINGER_MS} is Kafka Streams' own setting
     */
    public record LatencyRun(int commitIntervalMs, int caughtUpCommitMs, int batchRecords, int batchLatencyMs,
                             int producerLingerMs) {
        /** Kafka Streams' {@code linger.ms} for its producers. */
        public static final int STREAMS_PRODUCER_LINGER_MS = 100;

        /** A run with Kafka Streams' producer linger. */
        public LatencyRun(int commitIntervalMs, int caughtUpCommitMs, int batchRecords, int batchLatencyMs) {
            this(commitIntervalMs, caughtUpCommitMs, batchRecords, batchLatencyMs, STREAMS_PRODUCER_LINGER_MS);
        }

        /**
         * A short label, such as {@code commit 100 ms (caught up: 20 ms), batch 256/5 ms}, with the linger when it
         * is not Kafka Streams'.
         */
        public String label() {
            return "commit " + commitIntervalMs + " ms" + (caughtUpCommitMs == 0 ? "" : " (caught up: "
                    + caughtUpCommitMs + " ms)") + ", batch " + batchRecords + "/" + batchLatencyMs + " ms"
                    + (producerLingerMs == STREAMS_PRODUCER_LINGER_MS ? "" : ", linger " + producerLingerMs + " ms");
        }
    }
}
