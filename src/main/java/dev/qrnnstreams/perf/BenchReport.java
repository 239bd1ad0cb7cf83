package dev.qrnnstreams.perf;

import dev.qrnnstreams.report.LineChart;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a run's results: {@code report.md} (the tables and the targets, met or missed), one CSV file of
 * raw numbers per measurement, and three PNG charts (throughput against batch size, latency percentiles
 * against load, cost against key history).
 *
 * @param results what the run measured
 */
record BenchReport(BenchResults results) {
    /** Writes everything into {@code folder} and returns the report's Markdown. */
    String write(Path folder) throws IOException {
        csvs(folder);
        charts(folder);
        String markdown = markdown();
        Files.writeString(folder.resolve("report.md"), markdown, StandardCharsets.UTF_8);
        return markdown;
    }

    private void csvs(Path folder) throws IOException {
        CsvTable pipeline = CsvTable.of("what", "records", "records_per_s", "share_of_offline")
                .withRow("offline model", results.offline().records(), results.offline().recordsPerSecond(), 1.0)
                .withRow("offline model, batched per input partition", results.offlinePerPartition().records(),
                        results.offlinePerPartition().recordsPerSecond(),
                        results.offlinePerPartition().recordsPerSecond() / results.offline().recordsPerSecond());
        for (PipelineBench.Drain drain : drains()) {
            pipeline = pipeline.withRow(drain.label(), drain.records(), drain.recordsPerSecond(), share(drain));
        }
        pipeline.write(folder.resolve("pipeline.csv"));
        CsvTable history = CsvTable.of("history_tokens", "streamed_us_per_message", "recompute_us_per_message",
                "recompute_over_streamed", "state_bytes");
        for (OfflineBench.HistoryCost cost : results.histories()) {
            history = history.withRow(cost.history(), cost.serviceMicros(), cost.recomputeMicros(),
                    cost.recomputeMicros() / cost.serviceMicros(), cost.stateBytes());
        }
        history.write(folder.resolve("history.csv"));
        CsvTable latency = CsvTable.of("commit_interval_ms", "caught_up_commit_ms", "batch_max_records", "batch_max_latency_ms",
                "producer_linger_ms", "load",
                "rate_per_s", "sent", "caught_up", "samples", "p50_ms", "p99_ms", "p999_ms", "max_ms");
        for (PipelineBench.LatencyPoint point : results.latency()) {
            BenchSettings.LatencyRun run = point.run();
            latency = latency.withRow(run.commitIntervalMs(), run.caughtUpCommitMs(), run.batchRecords(), run.batchLatencyMs(),
                    run.producerLingerMs(), point.load(),
                    point.rate(), point.sent(), point.caughtUp(), point.millis().samples(), point.millis().p50(),
                    point.millis().p99(), point.millis().p999(), point.millis().max());
        }
        latency.write(folder.resolve("latency.csv"));
        CsvTable memory = CsvTable.of("what", "bytes")
                .withRow("state per key, float32", results.float32StateBytes())
                .withRow("state per key, bfloat16", results.bfloat16StateBytes())
                .withRow("key-state changelog per key", results.restore().changelogBytes() / results.restore().keys())
                .withRow("heap after GC at steady state", results.memory().heapBytes())
                .withRow("resident set at steady state", results.memory().residentBytes());
        memory.write(folder.resolve("memory.csv"));
        CsvTable restore = CsvTable.of("keys", "changelog_bytes", "start_kept_s", "start_restoring_s",
                        "restored_records", "restore_s", "s_per_gib")
                .withRow(results.restore().keys(), results.restore().changelogBytes(), results.restore().keptSeconds(),
                        results.restore().wipedSeconds(), results.restore().restored().records(),
                        results.restore().restored().seconds(), results.restore().secondsPerGib());
        restore.write(folder.resolve("restore.csv"));
    }

    private List<PipelineBench.Drain> drains() {
        List<PipelineBench.Drain> drains = new ArrayList<>(List.of(results.classifier(), results.identity()));
        results.batchSizes().stream().filter(drain -> drain != results.classifier()).forEach(drains::add);
        drains.addAll(results.scaling());
        return drains;
    }

    private double share(PipelineBench.Drain drain) {
        return drain.recordsPerSecond() / results.offline().recordsPerSecond();
    }

    private void charts(Path folder) throws IOException {
        List<Integer> sizes = results.settings().batchSizes();
        double[] log2 = sizes.stream().mapToDouble(size -> Math.log(size) / Math.log(2)).toArray();
        double[] rates = results.batchSizes().stream().mapToDouble(PipelineBench.Drain::recordsPerSecond).toArray();
        new LineChart("Throughput against qrnn.batch.max.records (backlog drained, exactly-once)", List.of(
                new LineChart.Panel("log2 qrnn.batch.max.records", "records/s", List.of(
                        new LineChart.Series("service", log2, rates),
                        flat("offline model", log2, results.offline().recordsPerSecond()),
                        flat("identity topology", log2, results.identity().recordsPerSecond())))))
                .writePng(folder.resolve("throughput-vs-batch.png"));
        List<LineChart.Series> p50 = new ArrayList<>();
        List<LineChart.Series> p99 = new ArrayList<>();
        for (BenchSettings.LatencyRun run : results.settings().latencyRuns()) {
            List<PipelineBench.LatencyPoint> points = results.latency().stream()
                    .filter(point -> point.run().equals(run)).toList();
            double[] loads = points.stream().mapToDouble(point -> point.load() * 100).toArray();
            p50.add(new LineChart.Series(run.label(), loads, points.stream().mapToDouble(p -> p.millis().p50()).toArray()));
            p99.add(new LineChart.Series(run.label(), loads, points.stream().mapToDouble(p -> p.millis().p99()).toArray()));
        }
        new LineChart("End-to-end latency against load (read_committed consumer)", List.of(
                new LineChart.Panel("load, % of the measured maximum", "p50 ms", p50),
                new LineChart.Panel("load, % of the measured maximum", "p99 ms", p99)))
                .writePng(folder.resolve("latency-vs-load.png"));
        double[] history = results.histories().stream().mapToDouble(cost -> Math.log10(cost.history())).toArray();
        new LineChart("Cost of one 60-token message against the key's history", List.of(
                new LineChart.Panel("log10 tokens of history", "log10 us per message", List.of(
                        new LineChart.Series("streamed (the service)", history, results.histories().stream()
                                .mapToDouble(cost -> Math.log10(cost.serviceMicros())).toArray()),
                        new LineChart.Series("recomputed from scratch", history, results.histories().stream()
                                .mapToDouble(cost -> Math.log10(cost.recomputeMicros())).toArray())))))
                .writePng(folder.resolve("cost-vs-history.png"));
    }

    private static LineChart.Series flat(String name, double[] x, double y) {
        return new LineChart.Series(name, new double[] {x[0], x[x.length - 1]}, new double[] {y, y});
    }

    private String markdown() {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "# qrnn bench%s, %s%n%n- machine: %s%n- corpus: %s%n- wall time: %.0f s%n%n",
                results.settings().quick() ? " --quick" : "",
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), results.machine(),
                results.corpus(), results.seconds()));
        new ReportTables(results).appendTo(md);
        return md.toString();
    }
}
