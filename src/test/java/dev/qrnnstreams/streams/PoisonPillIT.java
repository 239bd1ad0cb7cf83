package dev.qrnnstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrnnstreams.avro.Classification;
import dev.qrnnstreams.avro.DeadLetter;
import dev.qrnnstreams.avro.ErrorKind;
import dev.qrnnstreams.avro.TextEvent;
import dev.qrnnstreams.nn.cpu.AdaptiveBackend;
import dev.qrnnstreams.streams.serde.AvroDeserializer;
import dev.qrnnstreams.streams.serde.AvroSerializer;
import dev.qrnnstreams.streams.serde.ConfluentSchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The records of issue 13 against a real broker with its default size and timestamp limits, between
 * good records on one partition: a 600,000-byte key, a 1,048,400-byte value that is not Avro, and a
 * record stamped in the year 2100. Each record is answered exactly once and the partition keeps moving.
 */
class PoisonPillIT {
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    @RegisterExtension
    static final EmbeddedServices SERVICES = new EmbeddedServices();
    @TempDir
    Path stateDir;

    @Test
    void shouldAnswerEveryRecordOnceAndKeepThePartitionMovingWhenInputsWouldOverflowTheBroker() throws Exception {
        String run = "poison-" + System.nanoTime();
        TopologySettings settings = TopologySettings.defaults().withTopics(run + "-in", run + "-classifications",
                run + "-translations", run + "-dlq").withMaxBatchRecords(1);
        createTopics(settings);
        ConfluentSchemaRegistry registry = ConfluentSchemaRegistry.connect(List.of(SERVICES.registryUrl()), Map.of());
        StreamSerdes serdes = StreamSerdes.avro(registry, true);
        Properties properties = StreamsItSupport.streamsProperties(SERVICES.bootstrapServers(), run,
                stateDir.toString());
        DeadLetterCounter deadLetters = new DeadLetterCounter();
        properties.putAll(QrnnService.deadLetterHandlers(new DeadLetterWriter(settings.deadLetterTopic(),
                settings.limits().deadLetterRawBytes(), serdes.deadLetters(), Clock.systemUTC()), deadLetters));
        ModelCatalog models = ModelCatalog.builder().classifier("sentiment", TrainedTestModel.classifier("1"))
                .defaultModel("sentiment").build();

        try (QrnnService service = QrnnService.start(QrnnTopology.build(settings, serdes, models,
                AdaptiveBackend::cpu, deadLetters), properties)) {
            AvroSerializer<TextEvent> events = new AvroSerializer<>(TextEvent.class, registry, false, true);
            byte[] hugeKey = new byte[600_000];
            Arrays.fill(hugeKey, (byte) 'k');
            byte[] hugeValue = new byte[1_048_400];
            Arrays.fill(hugeValue, (byte) 'v');
            long now = System.currentTimeMillis();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SERVICES.bootstrapServers(),
                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2_000_000), new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                String in = settings.inputTopic();
                producer.send(new ProducerRecord<>(in, 0, now, utf8("a"), events.serialize(in, event("good-0")))).get();
                producer.send(new ProducerRecord<>(in, 0, now, hugeKey, events.serialize(in, event("huge-key")))).get();
                producer.send(new ProducerRecord<>(in, 0, now, utf8("a"), events.serialize(in, event("good-1")))).get();
                producer.send(new ProducerRecord<>(in, 0, now, utf8("a"), hugeValue)).get();
                producer.send(new ProducerRecord<>(in, 0, now, utf8("a"), events.serialize(in, event("good-2")))).get();
                producer.send(new ProducerRecord<>(in, 0, Instant.parse("2100-01-01T00:00:00Z").toEpochMilli(),
                        utf8("b"), events.serialize(in, event("future")))).get();
                producer.send(new ProducerRecord<>(in, 0, now, utf8("a"), events.serialize(in, event("good-3")))).get();
            }

            List<ConsumerRecord<String, Classification>> outputs = StreamsItSupport.consume(SERVICES.bootstrapServers(),
                    settings.classificationsTopic(), new StringDeserializer(),
                    new AvroDeserializer<>(Classification.class, registry), 5, DEADLINE);
            List<ConsumerRecord<byte[], DeadLetter>> letters = StreamsItSupport.consume(SERVICES.bootstrapServers(),
                    settings.deadLetterTopic(), new ByteArrayDeserializer(),
                    new AvroDeserializer<>(DeadLetter.class, registry), 2, DEADLINE);

            assertThat(outputs).extracting(record -> record.value().getEventId())
                    .containsExactly("good-0", "good-1", "good-2", "future", "good-3");
            assertThat(outputs.get(3).timestamp()).isLessThan(Instant.parse("2030-01-01T00:00:00Z").toEpochMilli());
            assertThat(letters).extracting(record -> record.value().getErrorKind())
                    .containsExactly(ErrorKind.KEY_TOO_LARGE, ErrorKind.VALUE_TOO_LARGE);
            assertThat(letters).extracting(record -> record.value().getOffset()).containsExactly(1L, 3L);
            assertThat(letters.get(0).value().getKeySize()).isEqualTo(hugeKey.length);
            assertThat(letters.get(1).value().getValueSize()).isEqualTo(hugeValue.length);
            assertThat(service.isRunning()).isTrue();
        } finally {
            registry.close();
        }
    }

    /** The input accepts any timestamp, as a topic whose producers' clocks cannot be trusted might; the rest keep the broker's defaults. */
    private static void createTopics(TopologySettings settings) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SERVICES.bootstrapServers()))) {
            admin.createTopics(List.of(
                    new NewTopic(settings.inputTopic(), 1, (short) 1).configs(Map.of(
                            TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, String.valueOf(Long.MAX_VALUE))),
                    new NewTopic(settings.classificationsTopic(), 1, (short) 1),
                    new NewTopic(settings.translationsTopic(), 1, (short) 1),
                    new NewTopic(settings.deadLetterTopic(), 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static TextEvent event(String eventId) {
        return TextEvent.newBuilder().setEventId(eventId).setText("a superb film.").setEventTime(Instant.now())
                .setModel(null).setResetState(false).setEndOfSegment(false).build();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
