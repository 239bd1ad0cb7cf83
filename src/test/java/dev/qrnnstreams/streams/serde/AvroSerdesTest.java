package dev.qrnnstreams.streams.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrnnstreams.avro.TextEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.MockSchemaRegistryClient;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Guards the Confluent wire format and schema resolution of the Avro serdes. The registry here is the
 * Confluent client's own in-memory implementation ({@code MockSchemaRegistryClient}); the same serdes
 * run against a real registry server in the integration tests.
 */
class AvroSerdesTest {
    private static final String TOPIC = "text-events";

    private final ConfluentSchemaRegistry registry = new ConfluentSchemaRegistry(new MockSchemaRegistryClient());
    private final Serde<TextEvent> serde = AvroSerdes.value(TextEvent.class, registry, true);

    @AfterEach
    void closeRegistry() {
        registry.close();
    }

    @Test
    void shouldWriteMagicByteAndRegisteredIdThenReadTheSameRecord() {
        TextEvent event = event("e-1", "Ein Mann fährt Fahrrad.");

        byte[] bytes = serde.serializer().serialize(TOPIC, event);

        int registered = registry.id("text-events-value", TextEvent.getClassSchema(), false);
        assertThat(bytes[0]).isEqualTo((byte) 0);
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(registered);
        assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(event);
    }

    @Test
    void shouldMapNullToNullBothWays() {
        assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    }

    @Test
    void shouldFillDefaultsWhenTheRecordWasWrittenWithAnOlderSchema() throws IOException {
        Schema older = new Schema.Parser().parse("""
                {"type": "record", "name": "TextEvent", "namespace": "dev.qrnnstreams.avro", "fields": [
                  {"name": "eventId", "type": "string"},
                  {"name": "text", "type": "string"},
                  {"name": "eventTime", "type": {"type": "long", "logicalType": "timestamp-millis"}}]}""");
        int olderId = registry.id("text-events-value", older, true);
        GenericRecord record = new GenericData.Record(older);
        record.put("eventId", "e-old");
        record.put("text", "written before the flags existed");
        record.put("eventTime", 1_700_000_000_000L);

        TextEvent read = serde.deserializer().deserialize(TOPIC, wireFormat(olderId, older, record));

        assertThat(read.getEventId()).isEqualTo("e-old");
        assertThat(read.getModel()).isNull();
        assertThat(read.getResetState()).isFalse();
        assertThat(read.getEndOfSegment()).isFalse();
    }

    @Test
    void shouldRejectBytesThatAreNotTheWireFormat() {
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("shorter than the 5-byte");
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, "{\"text\": \"json\"}".getBytes()))
                .isInstanceOf(SerializationException.class).hasMessageContaining("unknown magic byte");
    }

    @Test
    void shouldRejectAnIdTheRegistryDoesNotKnow() {
        byte[] bytes = {0, 0, 0, 3, (byte) 0xE7, 2, 'x'};

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, bytes))
                .isInstanceOf(UnknownSchemaException.class).hasMessageContaining("schema id 999");
    }

    @Test
    void shouldRejectBytesThatDoNotDecodeWithTheirSchema() {
        byte[] valid = serde.serializer().serialize(TOPIC, event("e-2", "complete"));
        byte[] cut = Arrays.copyOf(valid, 8);

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, cut))
                .isInstanceOf(SerializationException.class).hasMessageContaining("cannot decode a TextEvent");
    }

    @Test
    void shouldNotRegisterWhenAutoRegistrationIsOff() {
        Serde<TextEvent> strict = AvroSerdes.value(TextEvent.class, registry, false);

        assertThatThrownBy(() -> strict.serializer().serialize("unregistered-topic", event("e-3", "text")))
                .isInstanceOf(RegistryException.class).hasMessageContaining("unregistered-topic-value");
    }

    private static TextEvent event(String id, String text) {
        return TextEvent.newBuilder().setEventId(id).setText(text)
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L)).build();
    }

    private static byte[] wireFormat(int id, Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
