package dev.qrnnstreams.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The whole suite's measurements (not CI): the time a restarted instance takes to serve again with the
 * default membership (static, derived id), a configured static id and dynamic membership, a burst of ten
 * times the sustained rate, a soak at half the measured capacity with memory and state size sampled every 10 s, and state for a million keys.
 */
@Tag(Suite.TAG)
@Tag(Suite.FULL_TAG)
class LoadIT extends EmbeddedClusterScenarios {
    private static final Duration DEADLINE = Duration.ofMinutes(5);
    private static final Duration SAMPLE = Duration.ofSeconds(10);
    /**
     * Fields of a soak sample: seconds, heap, resident set, state directory, event ids out, records in, records
     * read by the service, and the CPU milliseconds of the service's JVM and of the test's.
     */
    private static final int SAMPLE_FIELDS = 9;
    private static final int SERVICE_CPU = 7;
    private static final int TEST_CPU = 8;
    private static final OperatingSystemMXBean HARNESS_CPU =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    @Test
    void shouldServeAgainSoonAfterASigkillWhenStateIsKept() throws Exception {
        StringBuilder table = new StringBuilder("| membership | serving again after SIGKILL and restart |\n|---|---|\n");
        Map<String, String> memberships = new LinkedHashMap<>();
        memberships.put("static (default: id from host name and state.dir)", "recovery-default");
        memberships.put("static (group.instance.id)", "recovery-static");
        memberships.put("dynamic (qrnn.static.membership=false)", "recovery-dynamic");
        for (Map.Entry<String, String> entry : memberships.entrySet()) {
            String membership = entry.getKey();
            String name = entry.getValue();
            Scenario scenario = Scenario.create(cluster, name, work.resolve(name));
            Workload workload = Workload.of(scenario.inputTopic(), name, 20, 30, 23, cluster.registry());
            Map<String, String> settings = new LinkedHashMap<>(scenario.settings(
                    name.equals("recovery-static") ? "a" : null, scenario.stateDir("a"), -1));
            if (name.equals("recovery-dynamic")) {
                settings.put("qrnn.static.membership", "false");
            }
            try (Ledger ledger = scenario.ledger();
                 Feeder feeder = Feeder.start(cluster.bootstrapServers(), Map.of(), workload.records(),
                         Feeder.RateSchedule.constant(25))) {
                ServiceInstance first = scenario.start("a", settings);
                assertThat(ledger.awaitDistinct(200, DEADLINE)).isTrue();
                first.kill();
                long restart = System.nanoTime();
                try (ServiceInstance second = scenario.start("a", settings)) {
                    String back = FaultToleranceIT.serving(ledger, feeder.sent(), workload.size(), restart);
                    table.append("| ").append(membership).append(" | ").append(back).append(" |\n");
                    feeder.awaitDone(System.nanoTime() + DEADLINE.toNanos());
                    assertThat(ledger.awaitDistinct(workload.size(), DEADLINE)).isTrue();
                    Verdict verdict = Verdict.of("SIGKILL and restart, " + membership, workload.size(),
                            ids(name, workload.size()), Map.of(), ledger, "serving again after " + back);
                    ReliabilityReport.record(verdict);
                    assertThat(verdict.passed()).as(verdict.toString()).isTrue();
                }
            }
        }
        ReliabilityReport.measure("Recovery time", table + "\nFrom the restart of a SIGKILLed instance (state "
                + "directory kept, defaults otherwise, session.timeout.ms 45 s) until the output of a record produced "
                + "after the restart is committed; a producer sends 25 records/s throughout.");
    }

    @Test
    void shouldAbsorbABurstOfTenTimesTheSustainedRate() throws Exception {
        Scenario scenario = Scenario.create(cluster, "burst", work);
        Workload workload = Workload.of(scenario.inputTopic(), "burst", 200, 40, 29, cluster.registry());
        double sustained = 100;
        Feeder.RateSchedule schedule = seconds -> seconds >= 15 && seconds < 20 ? sustained * 10 : sustained;
        try (Ledger ledger = scenario.ledger(); ServiceInstance instance = scenario.start("a");
             Feeder feeder = Feeder.start(cluster.bootstrapServers(), Map.of(), workload.records(), schedule)) {
            feeder.awaitDone(System.nanoTime() + DEADLINE.toNanos());
            boolean complete = ledger.awaitDistinct(workload.size(), DEADLINE);
            Verdict verdict = Verdict.of("burst of 10x the sustained 100 records/s for 5 s", workload.size(),
                    ids("burst", workload.size()), Map.of(), ledger, "failed stream threads: "
                            + instance.metric("stream_metrics_failed_stream_threads"));
            ReliabilityReport.record(verdict);
            assertThat(complete).isTrue();
            assertThat(verdict.passed()).as(verdict.toString()).isTrue();
            assertThat(instance.logText()).doesNotContain("A stream thread failed").doesNotContain(" ERROR ");
        }
    }

    @Test
    void shouldKeepMemoryAndStateBoundedOverASoakAtHalfCapacity() throws Exception {
        Scenario scenario = Scenario.create(cluster, "soak", work);
        int minutes = Integer.getInteger("qrnn.reliability.soak.minutes", 20);
        double capacity = capacity();
        double rate = capacity / 2;
        int records = (int) (rate * minutes * 60);
        Workload workload = Workload.generated(scenario.inputTopic(), "soak", 5_000, records, 31, cluster.registry());
        List<long[]> samples = new ArrayList<>();
        try (Ledger ledger = scenario.ledger().indexed(records); ServiceInstance instance = scenario.start("a");
             Feeder feeder = Feeder.start(cluster.bootstrapServers(), Map.of(), workload.records(),
                     Feeder.RateSchedule.constant(rate))) {
            long start = System.nanoTime();
            long[] cpuAtStart = new long[SAMPLE_FIELDS];
            cpuAtStart[SERVICE_CPU] = instance.cpuMillis();
            cpuAtStart[TEST_CPU] = HARNESS_CPU.getProcessCpuTime() / 1_000_000L;
            long next = start;
            while (feeder.sent() < workload.size()) {
                next += SAMPLE.toNanos();
                while (Polling.pause(next)) {
                    // sampling every 10 s
                }
                samples.add(new long[] {(System.nanoTime() - start) / 1_000_000_000L, HeapProbe.usedBytes(instance.pid()),
                        instance.residentBytes(), scenario.stateBytes("a"), ledger.distinct(), feeder.sent(),
                        (long) instance.metric("qrnn_processor_metrics_records_in_total"), instance.cpuMillis(),
                        HARNESS_CPU.getProcessCpuTime() / 1_000_000L});
            }
            feeder.awaitDone(System.nanoTime() + DEADLINE.toNanos());
            boolean complete = ledger.awaitDistinct(workload.size(), DEADLINE);
            int[] lostAndDuplicated = ledger.lostAndDuplicated();
            Verdict verdict = new Verdict(String.format(Locale.ROOT, "soak %d min at %.0f records/s (half of %.0f)",
                    minutes, rate, capacity), workload.size(), ledger.outputCount(), ledger.deadLetters().size(),
                    lostAndDuplicated[0], lostAndDuplicated[1], 0, List.of(), "5,000 keys; see Soak");
            ReliabilityReport.record(verdict);
            ReliabilityReport.measure("Soak", soakTable(cpuAtStart, samples, minutes, rate));
            assertThat(complete).isTrue();
            assertThat(verdict.passed()).as(verdict.toString()).isTrue();
            assertBounded(samples);
        }
    }

    @Test
    void shouldHoldStateForAMillionKeys() throws Exception {
        Scenario scenario = Scenario.create(cluster, "million-keys", work);
        int keys = 1_000_000;
        Workload workload = Workload.of(scenario.inputTopic(), "million", keys, 1, 37, cluster.registry());
        Map<String, String> settings = new LinkedHashMap<>(scenario.settings("a", scenario.stateDir("a"), FreePorts.one()));
        settings.put("qrnn.state.idle.timeout.ms", String.valueOf(Duration.ofDays(3650).toMillis()));
        long started = System.nanoTime();
        try (Ledger ledger = scenario.ledger().indexed(keys); ServiceInstance instance = scenario.start("a", settings);
             Feeder feeder = Feeder.start(cluster.bootstrapServers(), Map.of(), workload.records(),
                     Feeder.RateSchedule.constant(0))) {
            feeder.awaitDone(System.nanoTime() + DEADLINE.toNanos());
            boolean complete = ledger.awaitDistinct(workload.size(), Duration.ofMinutes(15));
            double seconds = (System.nanoTime() - started) / 1e9;
            double withState = instance.metric("qrnn_processor_metrics_keys_with_state");
            long bytes = scenario.stateBytes("a");
            long resident = instance.residentBytes();
            int stateful = workload.size() - workload.expectedDeadLetters();
            int[] lostAndDuplicated = ledger.lostAndDuplicated();
            Verdict verdict = new Verdict("1,000,000 keys, expiry off", workload.size(), ledger.outputCount(),
                    ledger.deadLetters().size(), lostAndDuplicated[0], lostAndDuplicated[1], 0, List.of(),
                    String.format(Locale.ROOT, "%.0f bytes per key on disk", (double) bytes / stateful));
            ReliabilityReport.record(verdict);
            ReliabilityReport.measure("State for a million keys", String.format(Locale.ROOT, """
                    | keys with state | state directory | bytes per key | resident set | run |
                    |---|---|---|---|---|
                    | %,.0f (metric) of %,d | %,d bytes | %.0f | %,d MiB | %.0f s for %,d records |

                    One message per key (2 dense fo layers of 24, k = 2, float32 state), expiry off; the state
                    directory (RocksDB, both stores and checkpoints) measured once every output was committed.""",
                    withState, stateful, bytes, (double) bytes / stateful, resident >> 20, seconds, keys));
            assertThat(complete).isTrue();
            assertThat(verdict.passed()).as(verdict.toString()).isTrue();
        }
    }

    /** Outputs per second of one instance fed 20,000 records as fast as the producer goes. */
    private double capacity() throws Exception {
        Scenario scenario = Scenario.create(cluster, "capacity", work.resolve("capacity"));
        Workload workload = Workload.of(scenario.inputTopic(), "capacity", 1_000, 20, 41, cluster.registry());
        try (Ledger ledger = scenario.ledger().countsOnly(); ServiceInstance instance = scenario.start("a")) {
            assertThat(instance.awaitLog("REBALANCING -> RUNNING", DEADLINE)).isTrue();
            long start = System.nanoTime();
            try (Feeder feeder = Feeder.start(cluster.bootstrapServers(), Map.of(), workload.records(),
                    Feeder.RateSchedule.constant(0))) {
                assertThat(ledger.awaitDistinct(workload.size(), DEADLINE)).isTrue();
            }
            double perSecond = workload.size() / ((System.nanoTime() - start) / 1e9);
            ReliabilityReport.measure("Capacity", String.format(Locale.ROOT, "%.0f records/s: one instance, 20,000 "
                    + "records of 1,000 keys produced as fast as possible, until the last output was committed "
                    + "(exactly-once, the service's default settings, test model).", perSecond));
            return perSecond;
        }
    }

    /** The CPU columns are differences from the sample before, the first one's from {@code cpuAtStart}. */
    private static String soakTable(long[] cpuAtStart, List<long[]> samples, int minutes, double rate) {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%d minutes at %.0f records/s over 5,000 "
                + "keys; heap used (jcmd GC.heap_info), resident set (/proc, native memory included) and state "
                + "directory size every 10 s (every sixth sample shown, and the last); records produced, read by the "
                + "service (its `records-in` metric) and seen by the test's `read_committed` consumer; CPU used since "
                + "the sample before, in cores, by the service's JVM and by the test's (broker, registry, producer and "
                + "consumer).%n%n"
                + "| s | heap used MiB | resident MiB | state dir MiB | records in | read by service | event ids out "
                + "| service CPU | test CPU |%n|---|---|---|---|---|---|---|---|---|%n",
                minutes, rate));
        for (int i = 0; i < samples.size(); i++) {
            if (i % 6 == 0 || i == samples.size() - 1) {
                long[] s = samples.get(i);
                long[] before = i == 0 ? cpuAtStart : samples.get(i - 1);
                double millis = (s[0] - before[0]) * 1000.0;
                table.append(String.format(Locale.ROOT, "| %d | %d | %d | %.1f | %,d | %,d | %,d | %.2f | %.2f |%n",
                        s[0], s[1] >> 20, s[2] >> 20, s[3] / 1048576.0, s[5], s[6], s[4],
                        (s[SERVICE_CPU] - before[SERVICE_CPU]) / millis, (s[TEST_CPU] - before[TEST_CPU]) / millis));
            }
        }
        return table.toString();
    }

    /** The resident set and state of the last third stay within 1.5x the peak of the first two thirds' second half. */
    private static void assertBounded(List<long[]> samples) {
        if (samples.size() < 6) {
            return;
        }
        int third = samples.size() / 3;
        for (int column : new int[] {2, 3}) {
            long earlier = samples.subList(third, 2 * third).stream().mapToLong(s -> s[column]).max().orElse(0);
            long later = samples.subList(2 * third, samples.size()).stream().mapToLong(s -> s[column]).max().orElse(0);
            assertThat(later).as("column %d grows without bound", column).isLessThanOrEqualTo(earlier * 3 / 2);
        }
    }

    private static Set<String> ids(String prefix, int count) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < count; i++) {
            ids.add(prefix + "-" + i);
        }
        return ids;
    }
}
