package dev.qrnnstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrnnstreams.avro.Classification;
import dev.qrnnstreams.avro.TextEvent;
import dev.qrnnstreams.streams.serde.AvroDeserializer;
import dev.qrnnstreams.streams.serde.AvroSerializer;
import dev.qrnnstreams.streams.serde.ConfluentSchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up check of the record size limits ({@link TopicLimitsCheck}) against a real broker with its
 * default limits: an output topic whose {@code max.message.bytes} is under {@code qrnn.record.max.bytes}
 * stops {@code qrnn run} before anything starts, with exit status 1 and a message naming the topic and both
 * settings; the same topic with room to spare lets the service start and classify; topics not created yet
 * are held to the limit they will be created with.
 */
class TopicLimitsIT {
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    /** Kafka's default {@code message.max.bytes}, which the embedded broker keeps. */
    private static final int BROKER_MESSAGE_MAX_BYTES = 1_048_588;
    @RegisterExtension
    static final EmbeddedServices SERVICES = new EmbeddedServices();
    @TempDir
    Path work;

    @Test
    void shouldRefuseToStartNamingTheTopicAndBothSettingsWhenTheClassificationsTopicTakesSmallerRecords()
            throws Exception {
        String run = "limits-small-" + System.nanoTime();
        createTopic(run + "-classifications", 500_000);
        Path log = work.resolve("run.log");

        try (ServiceProcess service = ServiceProcess.start(settings(run), log)) {
            OptionalInt exit = service.awaitExit(DEADLINE);
            String output = Files.readString(log, StandardCharsets.UTF_8);

            assertThat(exit).as("exits before any record, within " + DEADLINE + "; output:\n" + output).hasValue(1);
            assertThat(output).contains("topic '" + run + "-classifications' has max.message.bytes=500000")
                    .contains("qrnn.record.max.bytes=1000000")
                    .contains("raise the topic's max.message.bytes to at least 1000093")
                    .contains("lower qrnn.record.max.bytes to at most 499907")
                    .doesNotContain("Kafka Streams state");
        }
    }

    @Test
    void shouldStartAndClassifyWhenTheClassificationsTopicTakesLargerRecords() throws Exception {
        String run = "limits-large-" + System.nanoTime();
        createTopic(run + "-classifications", 2_000_000);
        StreamsItSupport.createTopics(SERVICES.bootstrapServers(), 1, run + "-in");
        ServiceConfig config = ServiceConfig.load(Optional.empty(), Map.of(), settings(run));
        ConfluentSchemaRegistry registry = ConfluentSchemaRegistry.connect(List.of(SERVICES.registryUrl()), Map.of());

        try (QrnnService service = QrnnService.start(config);
             KafkaProducer<String, TextEvent> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SERVICES.bootstrapServers()), new StringSerializer(),
                     new AvroSerializer<>(TextEvent.class, registry, false, true))) {
            producer.send(new ProducerRecord<>(run + "-in", "key", TextEvent.newBuilder().setEventId("limits-0")
                    .setText("a superb film.").setEventTime(Instant.now()).build())).get();
            List<ConsumerRecord<String, Classification>> outputs = StreamsItSupport.consume(
                    SERVICES.bootstrapServers(), run + "-classifications", new StringDeserializer(),
                    new AvroDeserializer<>(Classification.class, registry), 1, DEADLINE);

            assertThat(outputs).extracting(record -> record.value().getEventId()).containsExactly("limits-0");
            assertThat(outputs.get(0).headers().toArray()).as("the overhead counts no headers").isEmpty();
            assertThat(service.isRunning()).isTrue();
            try (Admin admin = admin()) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).as("the changelogs checked")
                        .containsAll(QrnnTopology.changelogTopics(run));
            }
        } finally {
            registry.close();
        }
    }

    @Test
    void shouldHoldTopicsNotCreatedYetToTheBrokersLimitOrTheStreamsTopicSetting() throws Exception {
        String run = "limits-absent-" + System.nanoTime();
        createTopic(run + "-classifications", 2_000_000);
        createTopic(run + "-dlq", 2_000_000);
        Map<String, String> settings = settings(run);
        settings.put("qrnn.record.max.bytes", "1100000");
        settings.put("producer.max.request.size", "2000000");
        ServiceConfig atBrokerLimit = ServiceConfig.load(Optional.empty(), Map.of(), settings);
        settings.put("topic.max.message.bytes", "500000");
        ServiceConfig atStreamsTopicLimit = ServiceConfig.load(Optional.empty(), Map.of(), settings);
        List<String> changelogs = QrnnTopology.changelogTopics(run);

        assertThatThrownBy(() -> TopicLimitsCheck.run(atBrokerLimit, changelogs, DEADLINE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("topic '" + run + "-translations' does not exist yet and would be created with "
                        + "the brokers' message.max.bytes=" + BROKER_MESSAGE_MAX_BYTES)
                .hasMessageContaining("changelog topic '" + changelogs.get(0) + "' does not exist yet and Kafka "
                        + "Streams would create it with the brokers' message.max.bytes=" + BROKER_MESSAGE_MAX_BYTES)
                .hasMessageContaining("qrnn.record.max.bytes=1100000")
                .hasMessageNotContaining("'" + run + "-classifications'")
                .hasMessageNotContaining("the producer has");
        assertThatThrownBy(() -> TopicLimitsCheck.run(atStreamsTopicLimit, changelogs, DEADLINE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("changelog topic '" + changelogs.get(1) + "' does not exist yet and Kafka "
                        + "Streams would create it with topic.max.message.bytes=500000");
    }

    /** The settings of an instance reading {@code <run>-in} and writing {@code <run>-*}, under application id {@code run}. */
    private Map<String, String> settings(String run) throws Exception {
        Path bundle = work.resolve("model");
        if (!Files.exists(bundle)) {
            TrainedTestModel.bundle().write(bundle);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bootstrap.servers", SERVICES.bootstrapServers());
        settings.put("schema.registry.url", SERVICES.registryUrl());
        settings.put("application.id", run);
        settings.put("state.dir", work.resolve("state").toString());
        settings.put("replication.factor", "1");
        settings.put("commit.interval.ms", "100");
        settings.put("qrnn.models", "sentiment=" + bundle);
        settings.put("qrnn.default.model", "sentiment");
        settings.put("qrnn.backend", "cpu");
        settings.put("qrnn.metrics.port", "-1");
        settings.put("qrnn.input.topic", run + "-in");
        settings.put("qrnn.classifications.topic", run + "-classifications");
        settings.put("qrnn.translations.topic", run + "-translations");
        settings.put("qrnn.dlq.topic", run + "-dlq");
        return settings;
    }

    private static void createTopic(String topic, int maxMessageBytes) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of(
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(maxMessageBytes)))))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SERVICES.bootstrapServers()));
    }
}
