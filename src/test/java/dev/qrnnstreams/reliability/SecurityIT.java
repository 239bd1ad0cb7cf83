package dev.qrnnstreams.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrnnstreams.avro.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service against a broker that requires TLS and SASL/SCRAM and a registry behind HTTPS with basic
 * auth: it serves with the right credentials, never shows a secret in its log, metrics or dead letters,
 * and stops soon with a message that names the cause when a credential is wrong.
 */
@Tag(Suite.TAG)
class SecurityIT {
    private static final Duration DEADLINE = Duration.ofMinutes(2);
    private static final Duration FAIL_FAST = Duration.ofSeconds(60);
    @TempDir
    static Path pkiDirectory;
    private static SecureCluster cluster;
    @TempDir
    Path work;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = SecureCluster.start(pkiDirectory);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    @Test
    void shouldServeOverSaslSslAndHttpsAndShowNoSecretWhenCredentialsAreRight() throws Exception {
        Scenario scenario = Scenario.create(cluster, "secure", work);
        Workload workload = Workload.of(scenario.inputTopic(), "secure", 30, 10, 17, cluster.registry());
        try (Ledger ledger = scenario.ledger(); ServiceInstance instance = scenario.start("a");
             Feeder feeder = Feeder.start(cluster.bootstrapServers(), Map.of(), workload.records(),
                     Feeder.RateSchedule.constant(0))) {
            feeder.awaitDone(System.nanoTime() + DEADLINE.toNanos());
            boolean complete = ledger.awaitDistinct(workload.size(), DEADLINE);
            String metrics = instance.scrape();
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < workload.size(); i++) {
                ids.add("secure-" + i);
            }
            Verdict verdict = Verdict.of("TLS + SASL/SCRAM broker, HTTPS + basic-auth registry", workload.size(),
                    ids, Map.of(), ledger, "secrets in log, metrics, dead letters: none");
            ReliabilityReport.record(verdict);
            assertThat(complete).as("all outputs within the deadline").isTrue();
            assertThat(verdict.passed()).as(verdict.toString()).isTrue();
            assertThat(metrics).contains("qrnn_processor_metrics");
            for (String secret : cluster.secrets()) {
                assertThat(instance.logText()).as("log").doesNotContain(secret);
                assertThat(metrics).as("metrics").doesNotContain(secret);
                for (DeadLetter letter : ledger.deadLetters()) {
                    assertThat(letter.toString()).as("dead letter").doesNotContain(secret);
                }
            }
            assertThat(ledger.deadLetters()).isNotEmpty();
        }
    }

    @Test
    void shouldStopNamingAuthenticationWhenTheBrokerPasswordIsWrong() throws Exception {
        String wrong = "wrong-broker-" + System.nanoTime();
        ServiceInstance instance = startWith(cluster.settings(wrong, cluster.secrets().get(1)), "bad-broker");
        try (instance) {
            OptionalLong exit = instance.awaitExit(FAIL_FAST);
            String log = instance.logText();
            assertThat(log).doesNotContain(wrong);
            assertThat(log).containsIgnoringCase("authentication failed").contains("Stopping: credentials");
            assertThat(exit).as("exits within " + FAIL_FAST + "; log:\n" + tail(log)).isPresent();
            assertThat(exit.getAsLong()).isNotZero();
        }
    }

    @Test
    void shouldRefuseToStartNamingTheSettingsWhenTheRegistryPasswordIsWrong() {
        String wrong = "wrong-registry-" + System.nanoTime();
        int refusedBefore = cluster.httpsProxy().refused();
        try (ServiceInstance instance = startWith(cluster.settings(cluster.secrets().get(0), wrong), "bad-registry")) {
            OptionalLong exit = instance.awaitExit(FAIL_FAST);
            String log = instance.logText();
            assertThat(exit).as("exits before any record, within " + FAIL_FAST + "; log:\n" + tail(log)).isPresent();
            assertThat(exit.getAsLong()).isEqualTo(1);
            assertThat(log).contains("401").contains("refused this instance's credentials")
                    .contains("schema.registry.basic.auth.user.info").doesNotContain("Kafka Streams state");
            for (String secret : List.of(wrong, cluster.secrets().get(0))) {
                assertThat(log).doesNotContain(secret);
            }
            assertThat(cluster.httpsProxy().refused()).isGreaterThan(refusedBefore);
        }
    }

    @Test
    void shouldStartAndWarnWhenTheRegistryCannotBeReachedAtStartUp() {
        Scenario scenario = Scenario.create(cluster, "no-registry", work);
        Map<String, String> settings = new LinkedHashMap<>(scenario.settings("no-registry",
                scenario.stateDir("no-registry"), -1));
        settings.put("schema.registry.url", "https://127.0.0.1:" + FreePorts.one() + "/apis/ccompat/v7");
        try (ServiceInstance instance = scenario.start("no-registry", settings)) {
            boolean running = instance.awaitLog("-> RUNNING", DEADLINE);
            String log = instance.logText();
            assertThat(running).as("runs; log:\n" + tail(log)).isTrue();
            assertThat(log).contains("cannot be reached").contains("starting anyway");
            assertThat(instance.isAlive()).isTrue();
        }
    }

    @Test
    void shouldNameTheSettingAndShowNoSecretWhenAValueIsInvalid() {
        Map<String, String> security = new LinkedHashMap<>(cluster.serviceSecurity());
        security.put("security.protocol", "SASL_TLS");
        ServiceInstance badUrl = startWith(security, "bad-protocol");
        security = new LinkedHashMap<>(cluster.serviceSecurity());
        security.put("ssl.truststore.location", work.resolve("missing-truststore.p12").toString());
        ServiceInstance badTruststore = startWith(security, "bad-truststore");
        try (badUrl; badTruststore) {
            assertThat(badUrl.awaitExit(FAIL_FAST)).as("exit of bad-protocol").isPresent();
            assertThat(badUrl.logText()).contains("SASL_TLS").contains("security.protocol");
            assertThat(badTruststore.awaitExit(FAIL_FAST)).as("exit of bad-truststore").isPresent();
            assertThat(badTruststore.logText()).contains("missing-truststore.p12");
            for (String secret : cluster.secrets()) {
                assertThat(badUrl.logText()).doesNotContain(secret);
                assertThat(badTruststore.logText()).doesNotContain(secret);
            }
        }
    }

    private ServiceInstance startWith(Map<String, String> security, String name) {
        Scenario scenario = Scenario.create(cluster, name, work);
        Map<String, String> settings = new LinkedHashMap<>(scenario.settings(name, scenario.stateDir(name), -1));
        settings.putAll(security);
        return scenario.start(name, settings);
    }

    private static String tail(String log) {
        return log.substring(Math.max(0, log.length() - 3000));
    }
}
