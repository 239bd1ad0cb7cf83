package dev.qrnnstreams.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrnnstreams.embedded.EmbeddedSchemaRegistry;
import dev.qrnnstreams.embedded.KafkaBrokerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away under a running service: once stopped with SIGTERM and once killed with SIGKILL,
 * each time down for {@value #DOWN_SECONDS} s, then started again on the same ports and log. The service
 * and the producer wait and retry; what the service commits equals an uninterrupted run.
 */
@Tag(Suite.TAG)
@Tag(Suite.FULL_TAG)
class BrokerRestartIT {
    private static final int DOWN_SECONDS = 20;
    private static final Duration DEADLINE = Duration.ofMinutes(4);
    private static KafkaBrokerProcess broker;
    private static Cluster cluster;
    @TempDir
    Path work;

    @BeforeAll
    static void startCluster() {
        broker = KafkaBrokerProcess.start();
        cluster = new Cluster(broker, broker.bootstrapServers(), EmbeddedSchemaRegistry.start());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    @Test
    void shouldWaitForTheBrokerAndLoseNothingWhenItIsStoppedAndWhenItIsKilled() throws Exception {
        Scenario scenario = Scenario.create(cluster, "broker-restart", work);
        Workload workload = Workload.of(scenario.inputTopic(), "broker", 60, 40, 43, cluster.registry());
        int n = workload.size();
        StringBuilder steps = new StringBuilder();
        try (Ledger ledger = scenario.ledger(); ServiceInstance instance = scenario.start("a");
             Feeder feeder = Feeder.start(cluster.bootstrapServers(), cluster.clientSecurity(), workload.records(),
                     Feeder.RateSchedule.constant(50))) {
            for (boolean kill : new boolean[] {false, true}) {
                int at = kill ? n * 3 / 5 : n / 4;
                long deadline = System.nanoTime() + DEADLINE.toNanos();
                while ((feeder.sent() < at || ledger.counts().size() < at / 2) && Polling.pause(deadline)) {
                    // waiting for the run to get there
                }
                int exit = kill ? broker.kill() : broker.stop();
                long down = System.nanoTime() + Duration.ofSeconds(DOWN_SECONDS).toNanos();
                while (Polling.pause(down)) {
                    // the broker stays down
                }
                broker.restart();
                String back = FaultToleranceIT.serving(ledger, feeder.sent(), n, System.nanoTime());
                steps.append(String.format(Locale.ROOT, "%s at input %d (exit %d), down %d s, serving again %s after "
                        + "the restart; ", kill ? "SIGKILL" : "SIGTERM", at, exit, DOWN_SECONDS, back));
            }
            feeder.awaitDone(System.nanoTime() + DEADLINE.toNanos());
            boolean complete = ledger.awaitDistinct(n, DEADLINE);
            try (Ledger reference = scenario.runReference(workload, DEADLINE)) {
                Verdict verdict = Verdict.of("broker stopped (SIGTERM), then killed (SIGKILL), 20 s down each", n,
                        reference, ledger, steps.toString().strip());
                ReliabilityReport.record(verdict);
                assertThat(complete).as("all outputs within the deadline").isTrue();
                assertThat(verdict.passed()).as(verdict.toString()).isTrue();
            }
            assertThat(instance.isAlive()).isTrue();
            assertThat(instance.logText()).containsAnyOf("could not be established", "disconnected");
        }
    }
}
