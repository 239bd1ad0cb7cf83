package dev.qrnnstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.qrnnstreams.nn.QrnnStateCodec;
import dev.qrnnstreams.inference.BackendKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceConfigTest {
    @TempDir
    Path directory;

    private static ServiceConfig fromEnvironment(Map<String, String> environment) {
        return ServiceConfig.load(Optional.empty(), environment, Map.of());
    }

    @Test
    void shouldRejectSizeBoundsWhenABufferedRecordWouldNotFitTheRecordBound() {
        assertThatThrownBy(() -> fromOverrides(Map.of("qrnn.value.max.bytes", "600000")))
                .hasMessageContaining("qrnn.value.max.bytes").hasMessageContaining("command-line override")
                .hasMessageContaining("1000000");
        assertThat(fromOverrides(Map.of("qrnn.value.max.bytes", "400000")).recordLimits().valueBytes())
                .isEqualTo(400_000);
    }

    private static ServiceConfig fromOverrides(Map<String, String> overrides) {
        return ServiceConfig.load(Optional.empty(), Map.of(), overrides);
    }

    private Path propertiesFile(String text) throws IOException {
        Path file = directory.resolve("service.properties");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void shouldUseTheDocumentedDefaultsWhenNothingIsGiven() {
        ServiceConfig config = fromEnvironment(Map.of());

        assertThat(config.inputTopic()).isEqualTo("text-events");
        assertThat(config.classificationsTopic()).isEqualTo("classifications");
        assertThat(config.translationsTopic()).isEqualTo("translations");
        assertThat(config.dlqTopic()).isEqualTo("text-events-dlq");
        assertThat(config.models()).containsExactly(
                entry("sentiment", Path.of("models/sst2-qrnn")),
                entry("review-sentiment", Path.of("models/imdb-qrnn")),
                entry("de-en", Path.of("models/multi30k-de-en")));
        assertThat(config.defaultModel()).isEqualTo("sentiment");
        assertThat(config.batchMaxRecords()).isEqualTo(256);
        assertThat(config.batchMaxLatency()).isEqualTo(Duration.ofMillis(5));
        assertThat(config.numStreamThreads()).isEqualTo(2);
        assertThat(config.inferenceThreads()).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        assertThat(config.textMaxChars()).isEqualTo(20_000);
        assertThat(config.stateIdleTimeout()).isEqualTo(Duration.ofDays(1));
        assertThat(config.stateExpiryScanInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.statePrecision()).isEqualTo(QrnnStateCodec.Precision.FLOAT32);
        assertThat(config.backend()).isEqualTo(BackendKind.AUTO);
        assertThat(config.metricsPort()).hasValue(9464);
        assertThat(config.translationBeamWidth()).isEmpty();
        assertThat(config.translationMaxLength()).isEmpty();
        assertThat(config.autoRegisterSchemas()).isTrue();
        assertThat(config.schemaRegistryUrls()).containsExactly("http://localhost:8081");
        assertThat(config.schemaRegistryClientConfig()).isEmpty();
        assertThat(config.applicationId()).isEqualTo("qrnn-streams");
        assertThat(config.streamsProperties()).containsOnly(
                entry("bootstrap.servers", "localhost:9092"),
                entry("application.id", "qrnn-streams"),
                entry("processing.guarantee", "exactly_once_v2"),
                entry("state.dir", System.getProperty("java.io.tmpdir") + "/qrnn-streams"),
                entry("num.stream.threads", "2"),
                entry("commit.interval.ms", "100"),
                entry("producer.retry.backoff.ms", "10"),
                entry("group.instance.id", config.groupInstanceId().orElseThrow()),
                entry("rocksdb.config.setter", SharedRocksDbMemory.class.getName()),
                entry("qrnn.rocksdb.memory.bytes", Long.toString(128L << 20)));
    }

    @Test
    void shouldLeaveRocksDbToKafkaStreamsWhenTheBudgetIsZeroOrTheUserSetsTheirOwnSetter() throws Exception {
        assertThat(fromOverrides(Map.of("qrnn.rocksdb.memory.bytes", "0")).streamsProperties())
                .doesNotContainKeys("rocksdb.config.setter", "qrnn.rocksdb.memory.bytes");
        assertThat(fromOverrides(Map.of("rocksdb.config.setter", "com.example.Tuned")).streamsProperties())
                .containsEntry("rocksdb.config.setter", "com.example.Tuned")
                .doesNotContainKey("qrnn.rocksdb.memory.bytes");
    }

    @Test
    void shouldJoinAsAStaticMemberNamedByTheHostAndTheStateDirectoryByDefault() throws Exception {
        String host = java.net.InetAddress.getLocalHost().getHostName();
        String id = fromOverrides(Map.of("state.dir", "/var/lib/qrnn")).streamsProperties()
                .getProperty("group.instance.id");

        assertThat(id).matches(java.util.regex.Pattern.quote(host.replaceAll("[^a-zA-Z0-9._-]", "_"))
                + "-[0-9a-f]{12}").hasSizeLessThan(240);
        assertThat(fromOverrides(Map.of("state.dir", "/var/lib/qrnn/")).groupInstanceId()).hasValue(id);
        assertThat(fromOverrides(Map.of("state.dir", "/var/lib/qrnn-2")).groupInstanceId()).isPresent()
                .get().isNotEqualTo(id);
        assertThat(fromOverrides(Map.of("group.instance.id", "pod-0")).groupInstanceId()).hasValue("pod-0");
        assertThat(fromOverrides(Map.of("qrnn.static.membership", "false")).streamsProperties())
                .doesNotContainKey("group.instance.id");
    }

    @Test
    void shouldRefuseAnInstanceIdWhenStaticMembershipIsOff() {
        assertThatThrownBy(() -> fromOverrides(Map.of("qrnn.static.membership", "false", "group.instance.id", "a")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("group.instance.id").hasMessageContaining("qrnn.static.membership");
    }

    @Test
    void shouldTakeFileThenEnvironmentThenOverridesInRisingPrecedence() throws IOException {
        Path file = propertiesFile("""
                qrnn.batch.max.records=10
                qrnn.batch.max.latency.ms=11
                qrnn.text.max.chars=12
                """);
        Map<String, String> environment = Map.of(
                "QRNN_BATCH_MAX_LATENCY_MS", "21",
                "QRNN_TEXT_MAX_CHARS", "22");
        Map<String, String> overrides = Map.of("qrnn.text.max.chars", "32");

        ServiceConfig config = ServiceConfig.load(Optional.of(file), environment, overrides);

        assertThat(config.batchMaxRecords()).isEqualTo(10);
        assertThat(config.batchMaxLatency()).isEqualTo(Duration.ofMillis(21));
        assertThat(config.textMaxChars()).isEqualTo(32);
    }

    @Test
    void shouldMapEnvironmentVariablesToSettingsByNamespace() {
        assertThat(ServiceConfig.environmentVariable("qrnn.batch.max.records")).isEqualTo("QRNN_BATCH_MAX_RECORDS");
        assertThat(ServiceConfig.environmentVariable("schema.registry.url")).isEqualTo("SCHEMA_REGISTRY_URL");
        assertThat(ServiceConfig.environmentVariable("bootstrap.servers")).isEqualTo("KAFKA_BOOTSTRAP_SERVERS");
        assertThat(ServiceConfig.environmentVariable("sasl.jaas.config")).isEqualTo("KAFKA_SASL_JAAS_CONFIG");

        assertThat(ServiceConfig.settingOfVariable("QRNN_BATCH_MAX_RECORDS")).hasValue("qrnn.batch.max.records");
        assertThat(ServiceConfig.settingOfVariable("KAFKA_SECURITY_PROTOCOL")).hasValue("security.protocol");
        assertThat(ServiceConfig.settingOfVariable("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO"))
                .hasValue("schema.registry.basic.auth.user.info");
        assertThat(ServiceConfig.settingOfVariable("KAFKA_QRNN_BATCH_MAX_RECORDS")).isEmpty();
        assertThat(ServiceConfig.settingOfVariable("KAFKA_SCHEMA_REGISTRY_URL")).isEmpty();
        assertThat(ServiceConfig.settingOfVariable("KAFKA_")).isEmpty();
        assertThat(ServiceConfig.settingOfVariable("PATH")).isEmpty();
        assertThat(ServiceConfig.settingOfVariable("JAVA_HOME")).isEmpty();
    }

    @Test
    void shouldPassKafkaSettingsThroughFromEverySource() throws IOException {
        Path file = propertiesFile("""
                commit.interval.ms=100
                producer.linger.ms=5
                """);
        Map<String, String> environment = Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "PLAIN",
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"u\" password=\"p\";",
                "KAFKA_BOOTSTRAP_SERVERS", "broker-1:9092,broker-2:9092",
                "KAFKA_GROUP_INSTANCE_ID", "qrnn-1",
                "HOME", "/root");
        Map<String, String> overrides = Map.of("commit.interval.ms", "200");

        Properties streams = ServiceConfig.load(Optional.of(file), environment, overrides).streamsProperties();

        assertThat(streams).containsOnly(
                entry("bootstrap.servers", "broker-1:9092,broker-2:9092"),
                entry("application.id", "qrnn-streams"),
                entry("processing.guarantee", "exactly_once_v2"),
                entry("state.dir", System.getProperty("java.io.tmpdir") + "/qrnn-streams"),
                entry("num.stream.threads", "2"),
                entry("group.instance.id", "qrnn-1"),
                entry("security.protocol", "SASL_SSL"),
                entry("sasl.mechanism", "PLAIN"),
                entry("sasl.jaas.config", environment.get("KAFKA_SASL_JAAS_CONFIG")),
                entry("commit.interval.ms", "200"),
                entry("producer.linger.ms", "5"),
                entry("producer.retry.backoff.ms", "10"),
                entry("rocksdb.config.setter", SharedRocksDbMemory.class.getName()),
                entry("qrnn.rocksdb.memory.bytes", Long.toString(128L << 20)));
    }

    @Test
    void shouldGiveRegistrySettingsToTheClientUnderBothOfItsSpellings() {
        ServiceConfig config = fromEnvironment(Map.of(
                "SCHEMA_REGISTRY_URL", "https://r1:8081,https://r2:8081",
                "SCHEMA_REGISTRY_BASIC_AUTH_CREDENTIALS_SOURCE", "USER_INFO",
                "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "user:secret",
                "SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION", "/etc/ssl/registry.jks"));

        assertThat(config.schemaRegistryUrls()).containsExactly("https://r1:8081", "https://r2:8081");
        assertThat(config.schemaRegistryClientConfig()).containsOnly(
                entry("basic.auth.credentials.source", "USER_INFO"),
                entry("schema.registry.basic.auth.credentials.source", "USER_INFO"),
                entry("basic.auth.user.info", "user:secret"),
                entry("schema.registry.basic.auth.user.info", "user:secret"),
                entry("ssl.truststore.location", "/etc/ssl/registry.jks"),
                entry("schema.registry.ssl.truststore.location", "/etc/ssl/registry.jks"));
        assertThat(config.streamsProperties()).doesNotContainKeys(
                "schema.registry.url", "basic.auth.user.info", "schema.registry.basic.auth.user.info");
    }

    @Test
    void shouldReadTypedValuesOfEverySetting() {
        ServiceConfig config = fromOverrides(Map.ofEntries(
                Map.entry("qrnn.models", "a=/models/a, b=relative/b"),
                Map.entry("qrnn.default.model", "b"),
                Map.entry("qrnn.state.precision", "bfloat16"),
                Map.entry("qrnn.backend", "cuda"),
                Map.entry("qrnn.metrics.port", "-1"),
                Map.entry("qrnn.auto.register.schemas", "false"),
                Map.entry("qrnn.translation.beam.width", "1"),
                Map.entry("qrnn.translation.max.length", "120"),
                Map.entry("qrnn.state.idle.timeout.ms", "1000"),
                Map.entry("qrnn.state.expiry.scan.interval.ms", "500"),
                Map.entry("processing.guarantee", "at_least_once"),
                Map.entry("state.dir", "/var/lib/qrnn"),
                Map.entry("num.stream.threads", "2"),
                Map.entry("application.id", "other-app")));

        assertThat(config.models()).containsExactly(
                entry("a", Path.of("/models/a")), entry("b", Path.of("relative/b")));
        assertThat(config.defaultModel()).isEqualTo("b");
        assertThat(config.statePrecision()).isEqualTo(QrnnStateCodec.Precision.BFLOAT16);
        assertThat(config.backend()).isEqualTo(BackendKind.CUDA);
        assertThat(config.metricsPort()).isEqualTo(OptionalInt.empty());
        assertThat(config.autoRegisterSchemas()).isFalse();
        assertThat(config.translationBeamWidth()).hasValue(1);
        assertThat(config.translationMaxLength()).hasValue(120);
        assertThat(config.stateIdleTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.stateExpiryScanInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.applicationId()).isEqualTo("other-app");
        assertThat(config.streamsProperties())
                .contains(entry("processing.guarantee", "at_least_once"), entry("state.dir", "/var/lib/qrnn"),
                        entry("num.stream.threads", "2"), entry("application.id", "other-app"));
    }

    @Test
    void shouldNameTheSettingAndTheEnvironmentVariableOfAnInvalidValue() {
        assertThatThrownBy(() -> fromEnvironment(Map.of("QRNN_BATCH_MAX_RECORDS", "many")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("qrnn.batch.max.records")
                .hasMessageContaining("environment variable QRNN_BATCH_MAX_RECORDS")
                .hasMessageContaining("many");
    }

    @Test
    void shouldNameTheSettingAndTheFileOfAnInvalidValue() throws IOException {
        Path file = propertiesFile("qrnn.state.precision=float16\n");

        assertThatThrownBy(() -> ServiceConfig.load(Optional.of(file), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("qrnn.state.precision")
                .hasMessageContaining("properties file " + file)
                .hasMessageContaining("float16");
    }

    @Test
    void shouldNameTheSettingAndTheOverrideOfAnInvalidValue() {
        assertThatThrownBy(() -> fromOverrides(Map.of("qrnn.metrics.port", "70000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("qrnn.metrics.port")
                .hasMessageContaining("command-line override");
        assertThatThrownBy(() -> fromOverrides(Map.of("qrnn.batch.max.records", "0")))
                .hasMessageContaining("qrnn.batch.max.records");
        assertThatThrownBy(() -> fromOverrides(Map.of("processing.guarantee", "exactly_once")))
                .hasMessageContaining("processing.guarantee");
        assertThatThrownBy(() -> fromOverrides(Map.of("qrnn.input.topic", "bad topic")))
                .hasMessageContaining("qrnn.input.topic");
        assertThatThrownBy(() -> fromOverrides(Map.of("group.instance.id", " ")))
                .hasMessageContaining("group.instance.id");
    }

    @Test
    void shouldRejectMalformedOrDuplicateModels() {
        assertThatThrownBy(() -> fromOverrides(Map.of("qrnn.models", "sentiment")))
                .hasMessageContaining("qrnn.models").hasMessageContaining("not name=directory");
        assertThatThrownBy(() -> fromOverrides(Map.of("qrnn.models", "sentiment=a,sentiment=b")))
                .hasMessageContaining("qrnn.models").hasMessageContaining("given twice");
        assertThatThrownBy(() -> fromOverrides(Map.of("qrnn.models", "")))
                .hasMessageContaining("qrnn.models");
    }

    @Test
    void shouldRejectADefaultModelThatIsNotLoaded() {
        assertThatThrownBy(() -> ServiceConfig.load(Optional.empty(),
                Map.of("QRNN_DEFAULT_MODEL", "fr-en"), Map.of("qrnn.models", "sentiment=models/sst2-qrnn")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("qrnn.default.model from environment variable QRNN_DEFAULT_MODEL")
                .hasMessageContaining("qrnn.models (from a command-line override)")
                .hasMessageContaining("[sentiment]");
    }

    @Test
    void shouldRejectAnOutputTopicThatIsTheInputTopic() {
        assertThatThrownBy(() -> fromEnvironment(Map.of("QRNN_DLQ_TOPIC", "text-events")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("qrnn.dlq.topic from environment variable QRNN_DLQ_TOPIC")
                .hasMessageContaining("qrnn.input.topic (from the default)");
    }

    @Test
    void shouldRejectUnknownServiceSettingsInTheFileAndTheOverrides() throws IOException {
        Path file = propertiesFile("qrnn.batch.max.record=10\n");

        assertThatThrownBy(() -> ServiceConfig.load(Optional.of(file), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("qrnn.batch.max.record ")
                .hasMessageContaining("properties file " + file)
                .hasMessageContaining("qrnn.batch.max.records");
        assertThatThrownBy(() -> fromOverrides(Map.of("qrnn.beam.width", "3")))
                .hasMessageContaining("qrnn.beam.width").hasMessageContaining("command-line override");
    }

    @Test
    void shouldIgnoreUnknownServiceVariablesInTheSharedEnvironment() {
        ServiceConfig config = fromEnvironment(Map.of(
                "QRNN_STREAMS_SERVICE_HOST", "10.0.0.1",
                "QRNN_TEXT_MAX_CHARS", "99"));

        assertThat(config.textMaxChars()).isEqualTo(99);
        assertThat(config.originals()).doesNotContainKey("qrnn.streams.service.host");
    }

    @Test
    void shouldFailClearlyWhenThePropertiesFileIsMissing() {
        Path missing = directory.resolve("absent.properties");

        assertThatThrownBy(() -> ServiceConfig.load(Optional.of(missing), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void shouldRenderOneReferenceRowPerDeclaredSetting() {
        String table = ServiceConfig.markdownReference();
        ConfigDef definition = ServiceConfig.configDef();

        assertThat(table.lines()).hasSize(definition.names().size() + 2);
        assertThat(table.lines().findFirst()).hasValue(
                "| setting | type | default | environment variable | description |");
        assertThat(table).contains("| `qrnn.batch.max.records` | int | `256` | `QRNN_BATCH_MAX_RECORDS` | ");
        assertThat(table).contains("| `state.dir` | string | `${java.io.tmpdir}/qrnn-streams` | `KAFKA_STATE_DIR` | ");
        assertThat(table).contains("| `group.instance.id` | string | none | `KAFKA_GROUP_INSTANCE_ID` | ");
        assertThat(table).contains("| `qrnn.state.precision` | string | `float32` | `QRNN_STATE_PRECISION` | ");
        assertThat(table).doesNotContain(System.getProperty("java.io.tmpdir") + "/qrnn-streams");
        for (ConfigDef.ConfigKey key : definition.configKeys().values()) {
            assertThat(key.documentation).as(key.name).isNotBlank();
            assertThat(table).contains("| `" + key.name + "` |");
        }
    }
}
