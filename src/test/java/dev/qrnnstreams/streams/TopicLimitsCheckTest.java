package dev.qrnnstreams.streams;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.internal.AbstractRecords;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.DefaultRecord;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.utils.internals.ByteUtils;
import org.junit.jupiter.api.Test;

/** The decision of {@link TopicLimitsCheck}, its reading of the Kafka settings, and its overhead bound against Kafka's own. */
class TopicLimitsCheckTest {
    private static final int RECORD_MAX_BYTES = 1_000_000;
    private static final int LARGEST_BATCH = RECORD_MAX_BYTES + TopicLimitsCheck.BATCH_OVERHEAD_BYTES;

    @Test
    void shouldPassALimitExactlyAtTheRecordBoundPlusTheOverheadAndRefuseOneByteLess() {
        assertThat(TopicLimitsCheck.refusal(RECORD_MAX_BYTES, List.of(WriteLimit.topic("out", LARGEST_BATCH))))
                .isEmpty();
        assertThat(TopicLimitsCheck.refusal(RECORD_MAX_BYTES, List.of(WriteLimit.topic("out", LARGEST_BATCH - 1))))
                .get(as(STRING)).contains("topic 'out' has max.message.bytes=" + (LARGEST_BATCH - 1))
                .contains("to at least " + LARGEST_BATCH);
    }

    @Test
    void shouldNameTheTopicItsSettingBothValuesAndWhatToChangeWhenATopicTakesSmallerBatches() {
        assertThat(TopicLimitsCheck.refusal(RECORD_MAX_BYTES, List.of(WriteLimit.topic("classifications", 500_000))))
                .get(as(STRING))
                .contains("topic 'classifications' has max.message.bytes=500000")
                .contains("qrnn.record.max.bytes=1000000")
                .contains("raise the topic's max.message.bytes to at least 1000093")
                .contains("or lower qrnn.record.max.bytes to at most 499907");
    }

    @Test
    void shouldNameTheBrokersSettingWhenAnOutputTopicIsNotCreatedYet() {
        assertThat(TopicLimitsCheck.refusal(RECORD_MAX_BYTES, List.of(WriteLimit.absentTopic("translations", 800_000))))
                .get(as(STRING))
                .contains("topic 'translations' does not exist yet")
                .contains("brokers' message.max.bytes=800000")
                .contains("create it with max.message.bytes, or raise the brokers' message.max.bytes, to at least "
                        + LARGEST_BATCH)
                .contains("at most 799907");
    }

    @Test
    void shouldNameTheStreamsTopicSettingWhenAChangelogIsCreatedWithIt() {
        assertThat(TopicLimitsCheck.refusal(RECORD_MAX_BYTES,
                List.of(WriteLimit.absentChangelog("app-qrnn-key-state-changelog", 600_000))))
                .get(as(STRING))
                .contains("changelog topic 'app-qrnn-key-state-changelog' does not exist yet")
                .contains("topic.max.message.bytes=600000")
                .contains("raise topic.max.message.bytes to at least " + LARGEST_BATCH);
    }

    @Test
    void shouldOfferTheStreamsTopicSettingWhenAChangelogWouldGetTheBrokersDefault() {
        assertThat(TopicLimitsCheck.refusal(RECORD_MAX_BYTES,
                List.of(WriteLimit.absentChangelogAtBrokerDefault("app-qrnn-pending-changelog", 700_000))))
                .get(as(STRING))
                .contains("changelog topic 'app-qrnn-pending-changelog'")
                .contains("brokers' message.max.bytes=700000")
                .contains("set topic.max.message.bytes, or raise the brokers' message.max.bytes, to at least "
                        + LARGEST_BATCH);
    }

    @Test
    void shouldTakeTheProducersPrefixedSettingOverTheUnprefixedOneAndKafkasDefaultOtherwise() {
        assertThat(TopicLimitsCheck.producerLimit(properties(Map.of())))
                .isEqualTo(new WriteLimit("the producer has Kafka's default", "max.request.size", 1_048_576,
                        "set producer.max.request.size"));
        assertThat(TopicLimitsCheck.producerLimit(properties(Map.of("max.request.size", "400000"))).bytes())
                .isEqualTo(400_000);
        WriteLimit prefixed = TopicLimitsCheck.producerLimit(properties(Map.of("max.request.size", "400000",
                "producer.max.request.size", "2000000")));
        assertThat(prefixed.setting()).isEqualTo("producer.max.request.size");
        assertThat(prefixed.bytes()).isEqualTo(2_000_000);
    }

    @Test
    void shouldRefuseTheProducersLimitNamingTheSettingItCameFrom() {
        assertThat(TopicLimitsCheck.refusal(RECORD_MAX_BYTES,
                List.of(TopicLimitsCheck.producerLimit(properties(Map.of("max.request.size", "900000"))))))
                .get(as(STRING)).contains("the producer has max.request.size=900000")
                .contains("raise max.request.size to at least " + LARGEST_BATCH);
        assertThat(TopicLimitsCheck.refusal(1_048_576, List.of(TopicLimitsCheck.producerLimit(properties(Map.of())))))
                .get(as(STRING)).contains("Kafka's default max.request.size=1048576")
                .contains("set producer.max.request.size to at least 1048669");
        assertThat(TopicLimitsCheck.refusal(RECORD_MAX_BYTES,
                List.of(TopicLimitsCheck.producerLimit(properties(Map.of()))))).isEmpty();
    }

    @Test
    void shouldNameEveryLimitTooSmallAndNoneThatFits() {
        Optional<String> refusal = TopicLimitsCheck.refusal(RECORD_MAX_BYTES, List.of(
                WriteLimit.topic("classifications", 500_000), WriteLimit.topic("translations", 2_000_000),
                WriteLimit.absentTopic("dlq", 999_999), WriteLimit.producer("max.request.size", 3_000_000)));

        assertThat(refusal).get(as(STRING)).contains("'classifications'").contains("'dlq'")
                .doesNotContain("'translations'").doesNotContain("the producer has");
    }

    @Test
    void shouldReadTheChangelogDefaultFromTheStreamsTopicPrefixAndNameABadValue() {
        assertThat(TopicLimitsCheck.changelogDefault(properties(Map.of()))).isEmpty();
        assertThat(TopicLimitsCheck.changelogDefault(properties(Map.of("topic.max.message.bytes", "3000000"))))
                .isEqualTo(OptionalInt.of(3_000_000));
        assertThatThrownBy(() -> TopicLimitsCheck.changelogDefault(properties(Map.of("topic.max.message.bytes",
                "lots")))).isInstanceOf(ConfigException.class).hasMessageContaining("topic.max.message.bytes");
    }

    @Test
    void shouldGiveTheAdminClientTheSecuritySettingsAndItsPrefixedOverrides() {
        ServiceConfig config = ServiceConfig.load(Optional.empty(), Map.of(), Map.of(
                "bootstrap.servers", "broker:9093", "security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
                "ssl.truststore.location", "/etc/qrnn/truststore.p12", "admin.request.timeout.ms", "1234",
                "request.timeout.ms", "5678", "commit.interval.ms", "100"));

        Map<String, Object> admin = AdminSettings.of(config.streamsProperties(), "check");

        assertThat(admin).contains(entry("bootstrap.servers", "broker:9093"), entry("security.protocol", "SASL_SSL"),
                entry("sasl.mechanism", "SCRAM-SHA-512"), entry("ssl.truststore.location", "/etc/qrnn/truststore.p12"),
                entry("request.timeout.ms", "1234"), entry("client.id", "check"))
                .doesNotContainKey("commit.interval.ms");
    }

    /**
     * The overhead is the producer's own bound, built from Kafka's constants (batch header, widest record
     * fields, two widest varints for the key and value lengths, one byte for no headers), and a real batch of
     * one record of key and value {@code n} bytes is never larger than {@code n} plus it.
     */
    @Test
    void shouldBoundTheBatchOfOneRecordAsKafkasProducerAndRecordFormatDo() {
        int varint = ByteUtils.sizeOfVarint(Integer.MAX_VALUE);
        assertThat(TopicLimitsCheck.BATCH_OVERHEAD_BYTES).isEqualTo(DefaultRecordBatch.RECORD_BATCH_OVERHEAD
                + DefaultRecord.MAX_RECORD_OVERHEAD + 2 * varint + ByteUtils.sizeOfVarint(0));
        for (int total : new int[] {1, 127, 128, 16_384, RECORD_MAX_BYTES, 3_000_000}) {
            for (int keyBytes : new int[] {-1, 0, 1, total / 2, total}) {
                byte[] key = keyBytes < 0 ? null : new byte[keyBytes];
                byte[] value = new byte[total - Math.max(keyBytes, 0)];
                int estimate = AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE,
                        CompressionType.NONE, key, value, new Header[0]);
                int batch = MemoryRecords.withRecords(Compression.NONE,
                        new SimpleRecord(System.currentTimeMillis(), key, value)).sizeInBytes();
                assertThat(estimate).as("producer's bound, key %d of %d", keyBytes, total)
                        .isLessThanOrEqualTo(total + TopicLimitsCheck.BATCH_OVERHEAD_BYTES);
                assertThat(batch).as("batch, key %d of %d", keyBytes, total).isLessThanOrEqualTo(estimate);
            }
        }
    }

    @Test
    void shouldStartAnywayButStillCheckTheProducerWhenTheBrokerDoesNotAnswer() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String bootstrap = "127.0.0.1:" + silent.getLocalPort();
            ServiceConfig fits = ServiceConfig.load(Optional.empty(), Map.of(), Map.of("bootstrap.servers", bootstrap));
            ServiceConfig tooSmall = ServiceConfig.load(Optional.empty(), Map.of(), Map.of("bootstrap.servers",
                    bootstrap, "producer.max.request.size", "500000"));

            assertThatCode(() -> TopicLimitsCheck.run(fits, List.of("app-changelog"), Duration.ofSeconds(1)))
                    .doesNotThrowAnyException();
            assertThatThrownBy(() -> TopicLimitsCheck.run(tooSmall, List.of("app-changelog"), Duration.ofSeconds(1)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("the producer has producer.max.request.size=500000")
                    .hasMessageContaining("qrnn.record.max.bytes=1000000");
        }
    }

    private static Properties properties(Map<String, String> settings) {
        Properties properties = new Properties();
        properties.putAll(settings);
        return properties;
    }
}
