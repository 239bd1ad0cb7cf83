package dev.qrnnstreams.streams.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrnnstreams.avro.TextEvent;
import dev.qrnnstreams.embedded.EmbeddedKafka;
import dev.qrnnstreams.embedded.EmbeddedSchemaRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The serdes against a real registry server (Apicurio's Confluent-compatible API) and a real broker:
 * records travel through Kafka in the Confluent wire format, ids come from the server, and BACKWARD
 * compatibility is enforced by the server.
 */
class AvroSerdesIT {
    private static EmbeddedKafka kafka;
    private static EmbeddedSchemaRegistry server;
    private static ConfluentSchemaRegistry registry;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
        server = EmbeddedSchemaRegistry.start();
        registry = ConfluentSchemaRegistry.connect(List.of(server.url()), Map.of());
    }

    @AfterAll
    static void stop() {
        registry.close();
        server.close();
        kafka.close();
    }

    @Test
    void shouldCarryTextEventsThroughKafkaInTheWireFormat() {
        String topic = "serdes-it-events";
        kafka.createTopics(1, topic);
        Serde<TextEvent> serde = AvroSerdes.value(TextEvent.class, registry, true);
        List<TextEvent> sent = List.of(event("e-1", "Zwei Hunde spielen im Schnee."), event("e-2", "A calm sea."));

        try (KafkaProducer<String, TextEvent> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), serde.serializer())) {
            for (TextEvent event : sent) {
                producer.send(new ProducerRecord<>(topic, "doc-1", event));
            }
        }

        assertThat(consume(topic, serde, sent.size())).containsExactlyElementsOf(sent);
    }

    @Test
    void shouldLetTheServerRefuseAnIncompatibleSchema() {
        String subject = "serdes-it-refused-value";
        registry.id(subject, TextEvent.getClassSchema(), true);
        Schema withoutDefault = new Schema.Parser().parse(TextEvent.getClassSchema().toString()
                .replace("\"fields\":[", "\"fields\":[{\"name\":\"language\",\"type\":\"string\"},"));

        assertThatThrownBy(() -> registry.id(subject, withoutDefault, true))
                .isInstanceOf(RegistryException.class).hasMessageContaining(subject);
    }

    @Test
    void shouldReportAnIdTheServerDoesNotHaveAsUnknown() {
        assertThatThrownBy(() -> registry.schema(987_654)).isInstanceOf(UnknownSchemaException.class);
    }

    private static List<TextEvent> consume(String topic, Serde<TextEvent> serde, int count) {
        List<TextEvent> received = new ArrayList<>();
        try (KafkaConsumer<String, TextEvent> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "serdes-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), serde.deserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, TextEvent> record : consumer.poll(Duration.ofMillis(200))) {
                    received.add(record.value());
                }
            }
        }
        return received;
    }

    private static TextEvent event(String id, String text) {
        return TextEvent.newBuilder().setEventId(id).setText(text)
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L)).build();
    }
}
