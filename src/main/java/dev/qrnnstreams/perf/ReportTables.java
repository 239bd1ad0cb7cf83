package dev.qrnnstreams.perf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Markdown tables of a run's report, one section per measurement, each target with the ratio that
 * decides it (both sides measured in the same run) and whether it is met.
 *
 * @param results what the run measured
 */
record ReportTables(BenchResults results) {
    private static final double PIPELINE_TARGET = 0.80;
    private static final double FLATNESS_TARGET = 1.1;
    private static final double RECOMPUTE_TARGET = 100;
    private static final double LATENCY_TARGET_MS = 50;
    private static final double TARGET_LOAD = 0.50;

    /** Appends every section to {@code md}. */
    void appendTo(StringBuilder md) {
        pipeline(md);
        history(md);
        latency(md);
        batching(md);
        scaling(md);
        memory(md);
    }

    private void pipeline(StringBuilder md) {
        double offline = results.offline().recordsPerSecond();
        md.append("## 1. Pipeline efficiency\n\n| what | records/s | share of the offline model |\n|---|---:|---:|\n");
        int threads = results.offline().threads();
        row(md, String.format(Locale.ROOT, "offline model (rounds across the keys of each thread, on %d thread%s as "
                + "the service's stream threads)", threads, threads == 1 ? "" : "s"), offline, offline);
        row(md, String.format(Locale.ROOT, "offline model, rounds across the keys of each of the %d input partitions "
                + "(as the service's tasks batch)", BenchCluster.partitions()),
                results.offlinePerPartition().recordsPerSecond(), offline);
        row(md, results.classifier().label(), results.classifier().recordsPerSecond(), offline);
        row(md, results.identity().label() + " (same input, serdes, exactly-once)",
                results.identity().recordsPerSecond(), offline);
        double perThread = offline / threads;
        md.append(String.format(Locale.ROOT, "%nTokenisation alone, on one thread: %,.0f records/s with the tokenizer's "
                        + "piece cache empty at the start (%.0f%% of one offline thread's time per record), %,.0f with "
                        + "every piece cached (%.0f%%).%n", results.coldTokenizer().recordsPerSecond(),
                100 * perThread / results.coldTokenizer().recordsPerSecond(), results.warmTokenizer().recordsPerSecond(),
                100 * perThread / results.warmTokenizer().recordsPerSecond()));
        double share = results.classifier().recordsPerSecond() / offline;
        md.append(String.format(Locale.ROOT, "%nTarget: service >= %.0f%% of the offline model: %.0f%%, %s "
                        + "(%.0f%% of the offline model batched per partition as the service's tasks batch). "
                        + "The offline model runs at %,.0f tokens/s.%n%n", PIPELINE_TARGET * 100, share * 100,
                verdict(share >= PIPELINE_TARGET),
                100 * results.classifier().recordsPerSecond() / results.offlinePerPartition().recordsPerSecond(),
                results.offline().tokensPerSecond()));
    }

    private void history(StringBuilder md) {
        md.append("## 2. Cost against key history\n\nOne 60-token message per key, 8 keys per call; streamed = "
                + "decode the stored state, step, encode (the service's per-key work besides the store I/O, whose "
                + "size does not depend on the history); recomputed = the same model over history + message.\n\n"
                + "| history (tokens) | streamed us/message | recomputed us/message | recomputed / streamed |\n"
                + "|---:|---:|---:|---:|\n");
        for (OfflineBench.HistoryCost cost : results.histories()) {
            md.append(String.format(Locale.ROOT, "| %,d | %.1f | %.1f | %.1fx |%n", cost.history(),
                    cost.serviceMicros(), cost.recomputeMicros(), cost.recomputeMicros() / cost.serviceMicros()));
        }
        List<OfflineBench.HistoryCost> costs = results.histories();
        OfflineBench.HistoryCost first = costs.get(0);
        OfflineBench.HistoryCost last = costs.get(costs.size() - 1);
        double flatness = last.serviceMicros() / first.serviceMicros();
        double saving = last.recomputeMicros() / last.serviceMicros();
        md.append(String.format(Locale.ROOT, "%nTargets: streamed cost at %,d / at %,d <= %.1f: %.2f, %s; "
                        + "recompute / streamed at %,d >= %.0fx: %.0fx, %s.%n%n", last.history(), first.history(),
                FLATNESS_TARGET, flatness, verdict(flatness <= FLATNESS_TARGET), last.history(), RECOMPUTE_TARGET,
                saving, verdict(saving >= RECOMPUTE_TARGET)));
    }

    private void latency(StringBuilder md) {
        md.append(String.format(Locale.ROOT, "## 3. Latency under load (exactly-once)%n%nProduce time to output "
                + "visible to a read_committed consumer; loads are fractions of the service's measured maximum "
                + "(%,.0f records/s).%n%n| settings | load | records/s | p50 ms | p99 ms | p99.9 ms | max ms | "
                + "kept up |%n|---|---:|---:|---:|---:|---:|---:|---|%n", results.classifier().recordsPerSecond()));
        String best = null;
        double bestP99 = Double.MAX_VALUE;
        for (PipelineBench.LatencyPoint point : results.latency()) {
            Percentiles p = point.millis();
            md.append(String.format(Locale.ROOT, "| %s | %.0f%% | %,.0f | %.0f | %.0f | %.0f | %.0f | %s |%n",
                    point.run().label(), point.load() * 100, point.rate(), p.p50(), p.p99(), p.p999(), p.max(),
                    point.caughtUp() ? "yes" : "no"));
            if (point.load() == TARGET_LOAD && p.p99() < bestP99) {
                bestP99 = p.p99();
                best = point.run().label();
            }
        }
        md.append(String.format(Locale.ROOT, "%nTarget: p99 <= %.0f ms at %.0f%% load: best %.0f ms (%s), %s.%n%n",
                LATENCY_TARGET_MS, TARGET_LOAD * 100, bestP99, best, verdict(bestP99 <= LATENCY_TARGET_MS)));
    }

    private void batching(StringBuilder md) {
        md.append("## 4. Batching\n\n| qrnn.batch.max.records | records/s (backlog) | share of the offline model |\n"
                + "|---:|---:|---:|\n");
        List<Integer> sizes = results.settings().batchSizes();
        for (int i = 0; i < sizes.size(); i++) {
            double rate = results.batchSizes().get(i).recordsPerSecond();
            md.append(String.format(Locale.ROOT, "| %,d | %,.0f | %.0f%% |%n", sizes.get(i), rate,
                    100 * rate / results.offline().recordsPerSecond()));
        }
        md.append("\nLatency against qrnn.batch.max.latency.ms: the rows of section 3 that differ only in it.\n\n");
    }

    private void scaling(StringBuilder md) {
        PipelineBench.Drain one = results.scaling().get(0);
        md.append(String.format(Locale.ROOT, "## 5. Scaling%n%n| what | records/s | against %s |%n|---|---:|---:|%n",
                one.label()));
        List<PipelineBench.Drain> drains = new ArrayList<>(results.scaling());
        drains.add(1, results.classifier());
        for (PipelineBench.Drain drain : drains) {
            md.append(String.format(Locale.ROOT, "| %s | %,.0f | %.2fx |%n", drain.label(), drain.recordsPerSecond(),
                    drain.recordsPerSecond() / one.recordsPerSecond()));
        }
        PipelineBench.Restore restore = results.restore();
        md.append(String.format(Locale.ROOT, "%nInput topic: %d partitions. Restore: %,d keys, key-state changelog "
                        + "%,d bytes (%,d per key); start to the first output %.1f s with the state directory kept, "
                        + "%.1f s with it wiped; on the wiped directory the instance's restore listener timed %,d "
                        + "records restored in %.2f s: %.1f s per GiB of changelog.%n%n", BenchCluster.partitions(),
                restore.keys(), restore.changelogBytes(), restore.changelogBytes() / restore.keys(),
                restore.keptSeconds(), restore.wipedSeconds(), restore.restored().records(),
                restore.restored().seconds(), restore.secondsPerGib()));
    }

    private void memory(StringBuilder md) {
        MemoryUse memory = results.memory();
        md.append(String.format(Locale.ROOT, "## 6. Memory%n%n| what | bytes |%n|---|---:|%n"
                        + "| QRNN state per key, float32 | %,d |%n| QRNN state per key, bfloat16 | %,d |%n"
                        + "| heap after GC at steady state (broker, clients and service in one JVM) | %,d |%n"
                        + "| resident set at steady state (same JVM) | %,d |%n%n", results.float32StateBytes(),
                results.bfloat16StateBytes(), memory.heapBytes(), memory.residentBytes()));
    }

    private static void row(StringBuilder md, String what, double rate, double offline) {
        md.append(String.format(Locale.ROOT, "| %s | %,.0f | %.0f%% |%n", what, rate, 100 * rate / offline));
    }

    private static String verdict(boolean met) {
        return met ? "met" : "missed";
    }
}
