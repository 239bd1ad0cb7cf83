package dev.qrnnstreams.perf;

import dev.qrnnstreams.inference.BackendFactory;
import dev.qrnnstreams.inference.InputRows;
import dev.qrnnstreams.inference.StreamingClassifier;
import dev.qrnnstreams.nn.QrnnBackend;
import dev.qrnnstreams.nn.QrnnStateCodec;
import dev.qrnnstreams.streams.ServiceConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One harness run from start to end: the model alone, then the service through the embedded broker and
 * registry (throughput against the identity topology and the offline model, batching, scaling, latency
 * under load, restore, memory), with progress lines on {@code log}. Every comparison is between rates
 * measured in this run.
 */
public final class Bench {
    private static final int STREAM_TOKENS = 100_000;
    private static final int STATE_TOKENS = 64;
    private static final int HISTORY_SWEEPS = 5;
    private static final int PAIRS = 3;
    /**
     * Drains before the first reported one: the JIT compiles the service's paths (the broker's too, in this
     * JVM) over the first few. A single warm-up drain left the next ones at half the later rates, and after
     * three the first reported pairs still ran at 0.80-0.87x the same settings' drains later in the run
     * (09:21 UTC, 5 December).
     */
    private static final int WARM_UP_DRAINS = 6;

    private final BenchSettings settings;
    private final PrintStream log;
    private final ServiceConfig defaults = ServiceConfig.load(Optional.empty(), Map.of(), Map.of());

    /** A run of {@code settings} reporting progress on {@code log}. */
    public Bench(BenchSettings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    /**
     * Runs every measurement, writes the report, the CSV files and the charts into the settings' output
     * folder, and returns the report's text.
     *
     * @throws IOException if the model or the data cannot be read, or the report cannot be written
     */
    public String run() throws IOException, InterruptedException {
        long start = System.nanoTime();
        BenchCorpus corpus = BenchCorpus.load(settings.reviewsFile(), settings.reviews(), settings.keys(),
                Feeder.model(), defaults.textMaxChars());
        StreamingClassifier classifier = StreamingClassifier.load(settings.model());
        log.printf("corpus: %,d messages over %d keys at a time, from %s%n", corpus.messages().size(),
                settings.keys(), corpus.source());
        BenchResults results;
        try (QrnnBackend backend = new BackendFactory(OfflineBench.BACKEND).open()) {
            OfflineBench bench = new OfflineBench(classifier, backend);
            Offline offline = offline(bench, classifier, corpus);
            try (BenchCluster cluster = BenchCluster.start(settings.registryHome(), settings.model());
                 PipelineBench pipeline = new PipelineBench(cluster, corpus.messages())) {
                results = pipeline(pipeline, bench, offline, corpus, start);
            }
        }
        Files.createDirectories(settings.output());
        return new BenchReport(results).write(settings.output());
    }

    private record Offline(OfflineBench.Rate[] tokenizer, List<OfflineBench.HistoryCost> histories, int float32,
                           int bfloat16) {
    }

    private Offline offline(OfflineBench bench, StreamingClassifier classifier, BenchCorpus corpus)
            throws IOException {
        OfflineBench.Rate[] tokenizer = bench.tokenizerRates(StreamingClassifier.load(settings.model()),
                corpus.messages());
        log.printf("tokenizer alone: %,.0f records/s with its piece cache empty, %,.0f with it full%n",
                tokenizer[0].recordsPerSecond(), tokenizer[1].recordsPerSecond());
        InputRows stream = tokenStream(classifier, corpus);
        QrnnStateCodec codec = new QrnnStateCodec(QrnnStateCodec.Precision.valueOf(defaults.statePrecision().name()));
        List<OfflineBench.HistoryCost> histories = historyCosts(bench, stream, codec);
        InputRows tokens = stream.slice(0, STATE_TOKENS);
        return new Offline(tokenizer, histories, bench.stateBytes(tokens, QrnnStateCodec.Precision.FLOAT32),
                bench.stateBytes(tokens, QrnnStateCodec.Precision.BFLOAT16));
    }

    /**
     * One timed offline pass with a freshly loaded classifier (its tokenizer's cache empty, as a new instance's),
     * on as many threads as the service's default stream threads, each with a backend on its share of the cores,
     * batching each thread's keys together ({@code partitions} 0) or each input partition's keys on their own
     * as the service's tasks do; logged under {@code label}.
     */
    private OfflineBench.Rate offlinePass(OfflineBench bench, BenchCorpus corpus, String label, int partitions)
            throws IOException, InterruptedException {
        List<QrnnBackend> lanes = new ArrayList<>();
        BackendFactory factory = new BackendFactory(OfflineBench.BACKEND, defaults.inferenceThreads());
        OfflineBench.Rate rate;
        try {
            for (int t = 0; t < defaults.numStreamThreads(); t++) {
                lanes.add(factory.open());
            }
            rate = bench.batchedRate(corpus.messages(), defaults.batchMaxRecords(),
                    List.of(StreamingClassifier.load(settings.model())), lanes, partitions);
        } finally {
            lanes.forEach(QrnnBackend::close);
        }
        log.printf("%s: %,.0f records/s (%,.0f tokens/s)%n", label, rate.recordsPerSecond(), rate.tokensPerSecond());
        return rate;
    }

    /**
     * The cost at every history, measured {@value #HISTORY_SWEEPS} times in alternation (so drift on a shared
     * machine spreads over all histories); per history the fastest sweep, since other jobs on the cores only
     * ever add time.
     */
    private List<OfflineBench.HistoryCost> historyCosts(OfflineBench bench, InputRows stream, QrnnStateCodec codec) {
        List<List<OfflineBench.HistoryCost>> byHistory = new ArrayList<>();
        settings.histories().forEach(history -> byHistory.add(new ArrayList<>()));
        for (int sweep = 0; sweep < HISTORY_SWEEPS; sweep++) {
            for (int h = 0; h < settings.histories().size(); h++) {
                byHistory.get(h).add(bench.historyCost(stream, settings.histories().get(h), codec));
            }
        }
        List<OfflineBench.HistoryCost> medians = new ArrayList<>();
        for (List<OfflineBench.HistoryCost> costs : byHistory) {
            double[] service = costs.stream().mapToDouble(OfflineBench.HistoryCost::serviceMicros).sorted().toArray();
            double[] recompute = costs.stream().mapToDouble(OfflineBench.HistoryCost::recomputeMicros).sorted()
                    .toArray();
            OfflineBench.HistoryCost cost = new OfflineBench.HistoryCost(costs.get(0).history(),
                    service[0], recompute[0], costs.get(0).stateBytes());
            log.printf("history %,d tokens: %.1f us/message streamed, %.1f us recomputed%n", cost.history(),
                    cost.serviceMicros(), cost.recomputeMicros());
            medians.add(cost);
        }
        return medians;
    }

    private static InputRows tokenStream(StreamingClassifier classifier, BenchCorpus corpus) {
        List<InputRows> messages = new ArrayList<>();
        int length = 0;
        for (int m = 0; length < STREAM_TOKENS; m = (m + 1) % corpus.messages().size()) {
            InputRows rows = classifier.rows(corpus.messages().get(m).text());
            messages.add(rows);
            length += rows.tokens();
        }
        return InputRows.concat(messages).slice(0, STREAM_TOKENS);
    }

    private BenchResults pipeline(PipelineBench pipeline, OfflineBench bench, Offline offline, BenchCorpus corpus,
                                  long start) throws IOException, InterruptedException {
        for (int warmUp = 0; warmUp < WARM_UP_DRAINS; warmUp++) {
            logged(pipeline.drain("warm-up, not reported", Map.of(), 1, false));
        }
        offlinePass(bench, corpus, "offline model, warm-up, not reported", 0);
        List<OfflineBench.Rate> offlineRates = new ArrayList<>();
        List<OfflineBench.Rate> perPartitionRates = new ArrayList<>();
        List<PipelineBench.Drain> serviceDrains = new ArrayList<>();
        alternate(() -> {
            perPartitionRates.add(offlinePass(bench, corpus, "offline model, batched per input partition",
                    BenchCluster.partitions()));
            offlineRates.add(offlinePass(bench, corpus, "offline model", 0));
            return offlineRates.get(offlineRates.size() - 1).recordsPerSecond();
        }, () -> {
            serviceDrains.add(logged(pipeline.drain("service, default settings", Map.of(), 1, false)));
            return serviceDrains.get(serviceDrains.size() - 1).recordsPerSecond();
        });
        OfflineBench.Rate offlineRate = median(offlineRates);
        OfflineBench.Rate perPartitionRate = median(perPartitionRates);
        PipelineBench.Drain classifier = median("service, default settings", serviceDrains.stream()
                .mapToDouble(PipelineBench.Drain::recordsPerSecond).toArray(), serviceDrains.get(0).records());
        PipelineBench.Drain identity = logged(pipeline.drain("identity topology", Map.of(), 1, true));
        List<PipelineBench.Drain> batches = new ArrayList<>();
        for (int size : settings.batchSizes()) {
            batches.add(size == defaults.batchMaxRecords() ? classifier : logged(pipeline.drain(
                    ServiceConfig.BATCH_MAX_RECORDS_CONFIG + "=" + size,
                    Map.of(ServiceConfig.BATCH_MAX_RECORDS_CONFIG, String.valueOf(size)), 1, false)));
        }
        Map<String, String> oneThread = Map.of(ServiceConfig.NUM_STREAM_THREADS_CONFIG, "1");
        List<PipelineBench.Drain> scaling = new ArrayList<>(alternated(pipeline, "1 stream thread", oneThread,
                "2 stream threads", Map.of(ServiceConfig.NUM_STREAM_THREADS_CONFIG, "2")));
        scaling.addAll(alternated(pipeline, "4 stream threads, one per input partition",
                Map.of(ServiceConfig.NUM_STREAM_THREADS_CONFIG, "4"), "2 stream threads (default)", Map.of()));
        scaling.addAll(alternated(pipeline, "2 stream threads, kernels over every core",
                Map.of(ServiceConfig.INFERENCE_THREADS_CONFIG, String.valueOf(Runtime.getRuntime().availableProcessors())),
                "2 stream threads, kernels over cores / threads (default)", Map.of()));
        String commitInterval = defaults.streamsProperties().get(ServiceConfig.COMMIT_INTERVAL_MS_CONFIG).toString();
        String earlyCommitDefaults = "defaults (commit " + commitInterval + " ms, caught up: early)";
        scaling.addAll(alternated(pipeline, "commit 20 ms, no early commits (the defaults before)",
                Map.of(ServiceConfig.COMMIT_INTERVAL_MS_CONFIG, "20",
                        ServiceConfig.COMMIT_CAUGHT_UP_INTERVAL_MS_CONFIG, "0"), earlyCommitDefaults, Map.of()));
        scaling.addAll(alternated(pipeline, "commit " + commitInterval + " ms, no early commits",
                Map.of(ServiceConfig.COMMIT_CAUGHT_UP_INTERVAL_MS_CONFIG, "0"), earlyCommitDefaults, Map.of()));
        scaling.addAll(alternated(pipeline, "producer linger 5 ms", Map.of(PipelineBench.PRODUCER_LINGER_MS, "5"),
                "defaults (producer linger " + BenchSettings.LatencyRun.STREAMS_PRODUCER_LINGER_MS + " ms, Kafka "
                        + "Streams')", Map.of()));
        scaling.add(logged(pipeline.drain("2 instances of 1 stream thread", oneThread, 2, false)));
        scaling.add(logged(pipeline.drain("bfloat16 state", Map.of(ServiceConfig.STATE_PRECISION_CONFIG, "bfloat16"),
                1, false)));
        List<PipelineBench.LatencyPoint> latency = new ArrayList<>();
        MemoryUse[] memory = new MemoryUse[1];
        for (BenchSettings.LatencyRun run : settings.latencyRuns()) {
            for (PipelineBench.LatencyPoint point : pipeline.latency(run, classifier.recordsPerSecond(),
                    settings.loads(), settings.loadSeconds(), () -> {
                        if (memory[0] == null) {
                            memory[0] = MemoryUse.measure();
                        }
                    })) {
                log.printf(Locale.ROOT, "latency %s at %.0f%% (%.0f/s): p50 %.0f ms, p99 %.0f ms, p99.9 %.0f ms%n",
                        run.label(), point.load() * 100, point.rate(), point.millis().p50(), point.millis().p99(),
                        point.millis().p999());
                latency.add(point);
            }
        }
        PipelineBench.Restore restore = pipeline.restore(settings.restoreKeys());
        log.printf("restore: %,d keys, %,d changelog bytes, start %.1f s kept, %.1f s restoring; %,d records restored"
                + " in %.2f s%n", restore.keys(), restore.changelogBytes(), restore.keptSeconds(), restore.wipedSeconds(),
                restore.restored().records(), restore.restored().seconds());
        return new BenchResults(settings, Machine.describe(), String.format(Locale.ROOT, "%,d messages, %,d tokens,"
                + " %d keys open at a time; %s", corpus.messages().size(), offlineRate.tokens(), settings.keys(),
                corpus.source()), offlineRate, perPartitionRate, offline.tokenizer()[0], offline.tokenizer()[1], offline.histories(), offline.float32(), offline.bfloat16(),
                classifier, identity, batches, scaling, latency, restore, memory[0], (System.nanoTime() - start) / 1e9);
    }

    private static OfflineBench.Rate median(List<OfflineBench.Rate> rates) {
        return rates.stream().sorted(Comparator.comparingDouble(OfflineBench.Rate::recordsPerSecond)).toList()
                .get(rates.size() / 2);
    }

    /** A measurement giving a rate. */
    private interface Measure {
        double rate() throws IOException, InterruptedException;
    }

    /**
     * Measures {@code a} and {@code b} in {@value #PAIRS} pairs, the order swapped from pair to pair so that
     * drift over the run (other jobs on the cores, warming) falls on both; the rates of each, in order.
     */
    private static double[][] alternate(Measure a, Measure b) throws IOException, InterruptedException {
        double[][] rates = new double[2][PAIRS];
        for (int pair = 0; pair < PAIRS; pair++) {
            for (int turn = 0; turn < 2; turn++) {
                int arm = (pair + turn) % 2;
                rates[arm][pair] = (arm == 0 ? a : b).rate();
            }
        }
        return rates;
    }

    /** Drains with settings {@code a} and {@code b} {@link #alternate alternated}; the median of each. */
    private List<PipelineBench.Drain> alternated(PipelineBench pipeline, String aLabel, Map<String, String> a,
                                                 String bLabel, Map<String, String> b)
            throws IOException, InterruptedException {
        long[] records = new long[1];
        double[][] rates = alternate(() -> drained(pipeline, aLabel, a, records),
                () -> drained(pipeline, bLabel, b, records));
        return List.of(median(aLabel, rates[0], records[0]), median(bLabel, rates[1], records[0]));
    }

    private double drained(PipelineBench pipeline, String label, Map<String, String> overrides, long[] records)
            throws IOException, InterruptedException {
        PipelineBench.Drain drain = logged(pipeline.drain(label, overrides, 1, false));
        records[0] = drain.records();
        return drain.recordsPerSecond();
    }

    /** A drain whose rate is the median of {@code rates}, all of them named in its label. */
    private static PipelineBench.Drain median(String label, double[] rates, long records) {
        String runs = Arrays.stream(rates).mapToObj(rate -> String.format(Locale.ROOT, "%,.0f", rate))
                .reduce((x, y) -> x + " / " + y).orElse("");
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        return new PipelineBench.Drain(label + " (median of " + runs + ", alternated)", records,
                sorted[sorted.length / 2]);
    }

    private PipelineBench.Drain logged(PipelineBench.Drain drain) {
        log.printf("%s: %,.0f records/s%n", drain.label(), drain.recordsPerSecond());
        return drain;
    }
}
