package dev.qrnnstreams.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrnnstreams.avro.DeadLetter;
import dev.qrnnstreams.avro.ErrorKind;
import dev.qrnnstreams.embedded.EmbeddedSchemaRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Crashes, scaling and registry outages under exactly-once: {@code qrnn run} instances as separate JVMs
 * are killed with SIGKILL at random points of a run, restarted with their state directory kept or wiped,
 * joined by more instances and stopped with SIGTERM, or left without their schema registry (out of reach
 * behind a cut proxy, or its process stopped and started again); what they commit must equal an
 * uninterrupted run over the same input.
 */
@Tag(Suite.TAG)
class FaultToleranceIT extends EmbeddedClusterScenarios {
    private static final Duration OUTPUT_DEADLINE = Duration.ofMinutes(3);
    private static final int SIGTERM_EXIT = 143;
    /** The registry outage: 30 s in the whole suite, 15 s in CI to keep the build short. */
    private static final Duration OUTAGE = Duration.ofSeconds(Suite.pick(15, 30));
    /** How long the registry process stays stopped; only the whole suite runs that scenario. */
    private static final Duration REGISTRY_STOPPED = Duration.ofSeconds(30);
    /** Input records before a registry outage; the rest carry a schema id the service has not seen. */
    private static final int OUTAGE_AT = 300;

    @Test
    void shouldNeitherLoseNorDuplicateWhenKilledAtRandomPointsWithStateKept() throws Exception {
        crashAtRandomPoints("crash-state-kept", false);
    }

    @Test
    void shouldNeitherLoseNorDuplicateWhenKilledAtRandomPointsWithStateWiped() throws Exception {
        crashAtRandomPoints("crash-state-wiped", true);
    }

    private void crashAtRandomPoints(String name, boolean wipe) throws Exception {
        Scenario scenario = Scenario.create(cluster, name, work);
        int kills = Suite.pick(2, 5);
        Workload workload = Workload.of(scenario.inputTopic(), name, 60, Suite.pick(20, 50), 7,
                cluster.registry());
        List<Integer> points = killPoints(new SplittableRandom(name.hashCode()), workload.size(), kills);
        List<String> restarts = new ArrayList<>();
        try (Ledger ledger = scenario.ledger()) {
            ServiceInstance instance = scenario.start("a");
            try (Feeder feeder = Feeder.start(cluster.bootstrapServers(), cluster.clientSecurity(),
                    workload.records(), Feeder.RateSchedule.constant(100))) {
                for (int point : points) {
                    awaitProgress(feeder, ledger, point, ledger.counts().size() + 1);
                    instance.kill();
                    if (wipe) {
                        scenario.wipeState("a");
                    }
                    long restart = System.nanoTime();
                    instance = scenario.start("a");
                    restarts.add(serving(ledger, feeder.sent(), workload.size(), restart));
                }
                feeder.awaitDone(System.nanoTime() + OUTPUT_DEADLINE.toNanos());
            }
            boolean complete = ledger.awaitDistinct(workload.size(), OUTPUT_DEADLINE);
            Ledger reference = scenario.runReference(workload, OUTPUT_DEADLINE);
            Verdict verdict = Verdict.of(String.format(Locale.ROOT, "SIGKILL x%d, state %s", kills,
                    wipe ? "wiped" : "kept"), workload.size(), reference, ledger,
                    "kills after input " + points + "; back to serving after restart: " + String.join(", ", restarts));
            ReliabilityReport.record(verdict);
            reference.close();
            assertThat(complete).as("all outputs within the deadline").isTrue();
            assertThat(verdict.passed()).as(verdict.toString()).isTrue();
            assertThat(instance.terminate()).as("exit status after SIGTERM").isEqualTo(SIGTERM_EXIT);
        }
    }

    @Test
    void shouldMoveThePartitionsAndTheirStateWhenInstancesJoinStopAndCrash() throws Exception {
        Scenario scenario = Scenario.create(cluster, "scale-out-in", work);
        Workload workload = Workload.of(scenario.inputTopic(), "scale", 60, Suite.pick(20, 60), 11, cluster.registry());
        int n = workload.size();
        List<String> steps = new ArrayList<>();
        try (Ledger ledger = scenario.ledger();
             Feeder feeder = Feeder.start(cluster.bootstrapServers(), cluster.clientSecurity(), workload.records(),
                     Feeder.RateSchedule.constant(100))) {
            ServiceInstance a = scaling(scenario, "a");
            awaitProgress(feeder, ledger, n / 5, 1);
            ServiceInstance b = scaling(scenario, "b");
            awaitLogged(b, "REBALANCING -> RUNNING");
            awaitProgress(feeder, ledger, n * 2 / 5, n / 5);
            steps.add("a+b, then SIGTERM a: exit " + a.terminate());
            ServiceInstance c = scaling(scenario, "c");
            awaitLogged(c, "REBALANCING -> RUNNING");
            awaitProgress(feeder, ledger, n * 3 / 5, n * 2 / 5);
            b.kill();
            steps.add("b+c, then SIGKILL b");
            feeder.awaitDone(System.nanoTime() + OUTPUT_DEADLINE.toNanos());
            boolean complete = ledger.awaitDistinct(n, OUTPUT_DEADLINE);
            try (Ledger reference = scenario.runReference(workload, OUTPUT_DEADLINE)) {
                Verdict verdict = Verdict.of("scale out to 2, SIGTERM one, add one, SIGKILL one", n, reference,
                        ledger, String.join("; ", steps) + "; c finished alone");
                ReliabilityReport.record(verdict);
                assertThat(complete).as("all outputs within the deadline").isTrue();
                assertThat(verdict.passed()).as(verdict.toString()).isTrue();
            }
            assertThat(c.terminate()).isEqualTo(SIGTERM_EXIT);
        }
    }

    @Test
    void shouldWaitForTheRegistryAndLoseNothingWhenItIsUnreachableForSeconds() throws Exception {
        registryOutage("registry-outage", 13, "registry unreachable " + OUTAGE.toSeconds() + " s", OUTAGE,
                cluster.registryUrl(), new ProxyCut(cluster.registryProxy()));
    }

    @Test
    @Tag(Suite.FULL_TAG)
    void shouldWaitForTheRegistryAndLoseNothingWhenItIsStoppedAndStartedAgain() throws Exception {
        EmbeddedSchemaRegistry registry = cluster.registryServer();
        registryOutage("registry-restart", 17, "registry stopped (SIGTERM) " + REGISTRY_STOPPED.toSeconds()
                + " s, started again with its stored schemas", REGISTRY_STOPPED, registry.url(),
                new RegistryRestart(registry));
    }

    /**
     * The registry goes away for {@code outage} under a running instance that reaches it at
     * {@code registryUrl}, while records keep arriving at a constant rate: the first {@value #OUTAGE_AT}
     * before it with the schema id the instance already uses, the rest during and after it with a newer
     * id it has not seen ({@link EvolvedSchema}), which it cannot read without the registry. The instance
     * must wait and retry (a failed stream thread, replaced, logged, counted in its metrics), stay alive,
     * and commit what an uninterrupted run commits, the newer records classified, not dead-lettered as an
     * unknown schema.
     */
    private void registryOutage(String name, long seed, String title, Duration outage, String registryUrl,
                                RegistryFault fault) throws Exception {
        Scenario scenario = Scenario.create(cluster, name, work);
        Workload workload = Workload.of(scenario.inputTopic(), name, 60, Suite.pick(20, 30), seed,
                cluster.registry());
        int newId = EvolvedSchema.register(cluster.registry(), scenario.inputTopic());
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < workload.size(); i++) {
            records.add(i < OUTAGE_AT ? workload.records().get(i)
                    : EvolvedSchema.reencode(workload.records().get(i), newId));
        }
        Map<String, String> settings = new LinkedHashMap<>(scenario.settings("a", scenario.stateDir("a"),
                FreePorts.one()));
        settings.put("schema.registry.url", registryUrl);
        ServiceInstance instance = scenario.start("a", settings);
        try (instance; Ledger ledger = scenario.ledger()) {
            try (Feeder before = Feeder.start(cluster.bootstrapServers(), cluster.clientSecurity(),
                    records.subList(0, OUTAGE_AT), Feeder.RateSchedule.constant(40))) {
                awaitProgress(before, ledger, OUTAGE_AT, OUTAGE_AT / 2);
                before.awaitDone(System.nanoTime() + OUTPUT_DEADLINE.toNanos());
            }
            fault.begin();
            long outageStart = System.nanoTime();
            int outByItsEnd;
            String howBack;
            String back;
            String sinceOutageStart;
            try (Feeder during = Feeder.start(cluster.bootstrapServers(), cluster.clientSecurity(),
                    records.subList(OUTAGE_AT, records.size()), Feeder.RateSchedule.constant(40))) {
                while (Polling.pause(outageStart + outage.toNanos())) {
                    // the registry stays away while records with the new schema id arrive
                }
                outByItsEnd = ledger.counts().size();
                howBack = fault.end();
                int sentWhenBack = OUTAGE_AT + during.sent();
                back = serving(ledger, sentWhenBack, workload.size(), System.nanoTime());
                sinceOutageStart = serving(ledger, sentWhenBack, workload.size(), outageStart);
                during.awaitDone(System.nanoTime() + OUTPUT_DEADLINE.toNanos());
            }
            boolean complete = ledger.awaitDistinct(workload.size(), OUTPUT_DEADLINE);
            double failedThreads = instance.metric("stream_metrics_failed_stream_threads");
            try (Ledger reference = scenario.runReference(workload, OUTPUT_DEADLINE)) {
                Verdict verdict = Verdict.of(title, workload.size(), reference, ledger, String.format(Locale.ROOT,
                        "records %d on carry a new schema id and are sent during the outage; %d event ids out by "
                        + "its end; %s; serving again %s after that, %s after the outage began; "
                        + "failed-stream-threads %.0f", OUTAGE_AT, outByItsEnd, howBack, back, sinceOutageStart,
                        failedThreads));
                ReliabilityReport.record(verdict);
                assertThat(complete).as("all outputs within the deadline").isTrue();
                assertThat(verdict.passed()).as(verdict.toString()).isTrue();
            }
            assertThat(ledger.deadLetters()).as("dead letters").extracting(DeadLetter::getErrorKind)
                    .doesNotContain(ErrorKind.UNKNOWN_SCHEMA);
            assertThat(instance.isAlive()).isTrue();
            assertThat(failedThreads).as("failed-stream-threads metric").isGreaterThanOrEqualTo(1);
            assertThat(instance.logText()).as("the instance's log")
                    .contains("schema registry failed to return schema id " + newId)
                    .contains("A stream thread failed; replacing it");
        }
    }

    /**
     * A member of a scaling group: static membership, with a session timeout short enough that the
     * partitions of a killed member move within seconds, not the default 45.
     */
    private static ServiceInstance scaling(Scenario scenario, String id) {
        java.util.Map<String, String> settings = new java.util.LinkedHashMap<>(
                scenario.settings(id, scenario.stateDir(id), FreePorts.one()));
        settings.put("session.timeout.ms", "10000");
        settings.put("heartbeat.interval.ms", "2000");
        return scenario.start(id, settings);
    }

    private static void awaitLogged(ServiceInstance instance, String text) {
        assertThat(instance.awaitLog(text, OUTPUT_DEADLINE)).as(instance.name() + " logged " + text).isTrue();
    }

    /** {@code kills} distinct input positions in the middle 80% of the run, ascending. */
    private static List<Integer> killPoints(SplittableRandom random, int records, int kills) {
        return random.ints(kills, records / 10, records * 9 / 10).sorted().boxed().toList();
    }

    /** Waits until {@code sent} records are produced and {@code distinct} event ids came out. */
    private static void awaitProgress(Feeder feeder, Ledger ledger, int sent, int distinct) {
        long deadline = System.nanoTime() + OUTPUT_DEADLINE.toNanos();
        while ((feeder.sent() < sent || ledger.counts().size() < distinct) && Polling.pause(deadline)) {
            // polling
        }
    }

    /**
     * Seconds from {@code restartNanos} until the output of a record produced after the restart (position
     * {@code sentAtRestart} or later) came out: the time until a user sees the service serve again.
     */
    static String serving(Ledger ledger, int sentAtRestart, int workloadSize, long restartNanos) {
        if (sentAtRestart >= workloadSize) {
            return "n/a (all input sent before the restart)";
        }
        long seen = ledger.awaitIndex(sentAtRestart, OUTPUT_DEADLINE);
        return seen < 0 ? "not within " + OUTPUT_DEADLINE.toMinutes() + " min" : String.format(Locale.ROOT, "%.1f s", (seen - restartNanos) / 1e9);
    }

    /** Takes the registry away from the service, and brings it back. */
    private interface RegistryFault {
        /** Takes the registry away. */
        void begin();

        /** Brings the registry back, returning once it answers; says how, for the report. */
        String end();
    }

    /** Cuts the proxy between the service and the registry: the registry runs on, out of the service's reach. */
    private record ProxyCut(TcpProxy proxy) implements RegistryFault {
        @Override
        public void begin() {
            proxy.cut();
        }

        @Override
        public String end() {
            proxy.restore();
            return "proxy restored (the registry ran on behind it)";
        }
    }

    /** Stops the registry process with SIGTERM, and starts it again on the same port with its stored schemas. */
    private static final class RegistryRestart implements RegistryFault {
        private final EmbeddedSchemaRegistry registry;
        private int exitStatus;

        RegistryRestart(EmbeddedSchemaRegistry registry) {
            this.registry = registry;
        }

        @Override
        public void begin() {
            exitStatus = registry.stop();
        }

        @Override
        public String end() {
            long startNanos = System.nanoTime();
            registry.restart();
            return String.format(Locale.ROOT, "registry exit status %d; started again on the same port and "
                    + "storage, ready in %.1f s", exitStatus, (System.nanoTime() - startNanos) / 1e9);
        }
    }
}
