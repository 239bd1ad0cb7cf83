package dev.qrnnstreams.perf;

import dev.qrnnstreams.embedded.Directories;
import dev.qrnnstreams.streams.QrnnService;
import dev.qrnnstreams.streams.RestoreLog;
import dev.qrnnstreams.streams.ServiceConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The measurements through Kafka: each run is a new application (its own id, output topic and state)
 * against the harness's broker and registry, so runs do not share state. Throughput is the drain rate of
 * a backlog loaded once; latency is measured under a paced feed; restore is timed from the changelog.
 * Confined to the harness thread.
 */
final class PipelineBench implements AutoCloseable {
    /** The Kafka Streams setting of its producers' {@code linger.ms}, which the service passes through. */
    static final String PRODUCER_LINGER_MS = StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG);
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration WARM_UP = Duration.ofSeconds(4);
    private static final String KEY_STATE_CHANGELOG = "-qrnn-key-state-changelog";
    private static final int RESTORE_TEXT_CHARS = 80;
    private static final int PROBES = 16;
    private static final int IDENTITY_REPEATS = 10;
    /**
     * Kafka Streams does not leave the group on close, so a restarted instance waits for its predecessor's
     * session to time out: the broker's minimum session keeps that wait short and equal for both starts.
     */
    private static final Map<String, String> QUICK_REJOIN = Map.of("session.timeout.ms", "6000",
            "heartbeat.interval.ms", "1000");

    private final BenchCluster cluster;
    private final Feeder feeder;
    private final List<BenchCorpus.Message> messages;
    private final String backlog;
    private String identityBacklog;
    private int runs;

    /** Loads the backlog topic with every message of {@code messages} once. */
    PipelineBench(BenchCluster cluster, List<BenchCorpus.Message> messages) {
        this.cluster = cluster;
        this.messages = List.copyOf(messages);
        this.feeder = new Feeder(cluster.bootstrapServers(), cluster.registry(), messages);
        this.backlog = "bench-backlog";
        cluster.createTopics(backlog);
        feeder.backlog(backlog, messages.size());
    }

    /**
     * The records per second at which {@code instances} instances (the service, or the identity topology)
     * with {@code overrides} drain the backlog, from their first committed output to their last. The
     * identity topology drains {@value #IDENTITY_REPEATS} times the messages (loaded on first use), since
     * the service's backlog passes through it within one or two commits.
     */
    Drain drain(String label, Map<String, String> overrides, int instances, boolean identity)
            throws IOException, InterruptedException {
        String input = backlog;
        long records = messages.size();
        if (identity) {
            records *= IDENTITY_REPEATS;
            input = identityBacklog();
        }
        String app = nextApp();
        List<QrnnService> services = new ArrayList<>();
        try (OutputWatcher watcher = new OutputWatcher(cluster.bootstrapServers(), app + "-out")) {
            for (int i = 0; i < instances; i++) {
                services.add(cluster.start(cluster.config(app, input, app + "-out",
                        cluster.stateDirectory(app + "-" + i), overrides), identity));
            }
            for (QrnnService service : services) {
                BenchCluster.awaitRunning(service);
            }
            if (!watcher.awaitCount(records, DRAIN_TIMEOUT)) {
                throw new IllegalStateException(label + ": " + watcher.count() + " of " + records
                        + " outputs within " + DRAIN_TIMEOUT);
            }
            return new Drain(label, records, watcher.drainRate());
        } finally {
            services.forEach(QrnnService::close);
        }
    }

    /**
     * End-to-end latency under {@code run}'s settings at each of {@code loads} times {@code maxRate},
     * {@code seconds} of paced input each, after a short warm-up; {@code atSteadyState} is called while
     * the service still runs, after the last load.
     */
    List<LatencyPoint> latency(BenchSettings.LatencyRun run, double maxRate, List<Double> loads, int seconds,
                               Runnable atSteadyState) throws IOException, InterruptedException {
        String app = nextApp();
        String input = app + "-in";
        cluster.createTopics(input);
        Map<String, String> overrides = Map.of(ServiceConfig.COMMIT_INTERVAL_MS_CONFIG, String.valueOf(run.commitIntervalMs()),
                ServiceConfig.COMMIT_CAUGHT_UP_INTERVAL_MS_CONFIG, String.valueOf(run.caughtUpCommitMs()),
                ServiceConfig.BATCH_MAX_RECORDS_CONFIG, String.valueOf(run.batchRecords()),
                ServiceConfig.BATCH_MAX_LATENCY_MS_CONFIG, String.valueOf(run.batchLatencyMs()),
                PRODUCER_LINGER_MS, String.valueOf(run.producerLingerMs()));
        List<LatencyPoint> points = new ArrayList<>();
        try (OutputWatcher watcher = new OutputWatcher(cluster.bootstrapServers(), app + "-out");
             QrnnService service = BenchCluster.awaitRunning(cluster.start(
                     cluster.config(app, input, app + "-out", cluster.stateDirectory(app), overrides), false))) {
            long expected = feeder.paced(input, loads.get(0) * maxRate, WARM_UP);
            watcher.awaitCount(expected, CATCH_UP_TIMEOUT);
            for (double load : loads) {
                watcher.resetLatencies();
                long sent = feeder.paced(input, load * maxRate, Duration.ofSeconds(seconds));
                expected += sent;
                boolean caughtUp = watcher.awaitCount(expected, CATCH_UP_TIMEOUT);
                points.add(new LatencyPoint(run, load, load * maxRate, sent, caughtUp, watcher.latencies()));
            }
            atSteadyState.run();
        }
        return points;
    }

    /**
     * Gives {@code keys} keys a state each (one short message per key), then times an instance from its
     * start until the outputs of a few more messages are visible, on the kept state directory and on an empty
     * one. A task processes nothing until its stores are restored, so the difference is the time to restore
     * the key-state changelog (Kafka Streams reports RUNNING before its state updater has restored).
     */
    Restore restore(int keys) throws IOException, InterruptedException {
        String app = nextApp();
        String input = app + "-in";
        cluster.createTopics(input);
        List<BenchCorpus.Message> one = new ArrayList<>(keys);
        for (int k = 0; k < keys; k++) {
            String text = messages.get(k % messages.size()).text();
            one.add(new BenchCorpus.Message("state-" + k, text.substring(0, Math.min(RESTORE_TEXT_CHARS,
                    text.length())), false));
        }
        Path directory = cluster.stateDirectory(app);
        ServiceConfig config = cluster.config(app, input, app + "-out", directory, QUICK_REJOIN);
        try (Feeder keyFeeder = new Feeder(cluster.bootstrapServers(), cluster.registry(), one);
             OutputWatcher watcher = new OutputWatcher(cluster.bootstrapServers(), app + "-out")) {
            try (QrnnService service = BenchCluster.awaitRunning(cluster.start(config, false))) {
                keyFeeder.backlog(input, keys);
                if (!watcher.awaitCount(keys, DRAIN_TIMEOUT)) {
                    throw new IllegalStateException("restore: " + watcher.count() + " of " + keys + " outputs");
                }
            }
            long changelogBytes = cluster.topicBytes(app + KEY_STATE_CHANGELOG);
            double kept = timedStart(config, keyFeeder, watcher, keys + PROBES).seconds();
            Directories.deleteRecursively(directory);
            TimedStart wiped = timedStart(config, keyFeeder, watcher, keys + 2 * PROBES);
            return new Restore(keys, changelogBytes, kept, wiped.seconds(), wiped.restored());
        }
    }

    /**
     * Seconds from starting {@code config} until {@value #PROBES} more messages (keys spread over every
     * partition, so every task must have restored) are answered, the outputs numbering {@code expected}.
     */
    private TimedStart timedStart(ServiceConfig config, Feeder probe, OutputWatcher watcher, long expected)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        try (QrnnService service = cluster.start(config, false)) {
            probe.backlog(config.inputTopic(), PROBES);
            if (!watcher.awaitCount(expected, DRAIN_TIMEOUT)) {
                throw new IllegalStateException("restore: no output after a restart within " + DRAIN_TIMEOUT);
            }
            return new TimedStart((System.nanoTime() - start) / 1e9, service.restored());
        }
    }

    /** Seconds from an instance's start to its answers, and what it restored meanwhile. */
    private record TimedStart(double seconds, RestoreLog.Totals restored) {
    }

    private String identityBacklog() {
        if (identityBacklog == null) {
            identityBacklog = backlog + "-x" + IDENTITY_REPEATS;
            cluster.createTopics(identityBacklog);
            feeder.backlog(identityBacklog, messages.size() * IDENTITY_REPEATS);
        }
        return identityBacklog;
    }

    /** Closes the feed's producer. */
    @Override
    public void close() {
        feeder.close();
    }

    private String nextApp() {
        String app = "bench-" + ++runs;
        cluster.createTopics(app + "-out", app + "-translations", app + "-dlq");
        return app;
    }

    /**
     * A drain rate.
     *
     * @param label what ran
     * @param records records drained
     * @param recordsPerSecond the rate
     */
    record Drain(String label, long records, double recordsPerSecond) {
    }

    /**
     * Latency at one load.
     *
     * @param run the settings
     * @param load the fraction of the maximum rate
     * @param rate the input rate, records per second
     * @param sent records sent at this load
     * @param caughtUp whether every output arrived within a minute of the last send
     * @param millis end-to-end latency percentiles, milliseconds
     */
    record LatencyPoint(BenchSettings.LatencyRun run, double load, double rate, long sent, boolean caughtUp,
                        Percentiles millis) {
    }

    /**
     * A changelog restore.
     *
     * @param keys keys with state
     * @param changelogBytes the key-state changelog's size on the broker
     * @param keptSeconds start to the first output with the state directory kept
     * @param wipedSeconds start to the first output with an empty state directory (restoring the changelog)
     * @param restored what the instance on the empty directory restored, timed by its restore listener
     */
    record Restore(int keys, long changelogBytes, double keptSeconds, double wipedSeconds,
                   RestoreLog.Totals restored) {
        /** Seconds of restoring per GiB of changelog, as the restore listener timed it. */
        double secondsPerGib() {
            return restored.seconds() / (changelogBytes / (double) (1L << 30));
        }
    }
}
