package dev.qrnnstreams.reliability;

import dev.qrnnstreams.avro.TextEvent;
import dev.qrnnstreams.streams.serde.SchemaRegistry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A newer, backward-compatible version of the {@code TextEvent} schema (one more optional field, last),
 * and records re-encoded with it: the service must fetch the new schema id from the registry before it
 * can read them, so records that carry it need the registry.
 */
final class EvolvedSchema {
    private static final byte MAGIC = 0;
    private static final int HEADER = 5;
    /** The Avro binary encoding of a null in a {@code ["null", ...]} union: branch 0. */
    private static final byte NULL_BRANCH = 0;

    private EvolvedSchema() {
    }

    /** Registers the newer schema under {@code <topic>-value} and returns its id. */
    static int register(SchemaRegistry registry, String topic) {
        Schema current = TextEvent.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        current.getFields().forEach(field -> fields.add(new Schema.Field(field, field.schema())));
        fields.add(new Schema.Field("source", Schema.createUnion(Schema.create(Schema.Type.NULL),
                Schema.create(Schema.Type.STRING)), "Where the text came from.", JsonProperties.NULL_VALUE));
        Schema evolved = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false,
                fields);
        return registry.id(topic + "-value", evolved, true);
    }

    /** {@code record} written with schema {@code id}, its new last field null. */
    static ProducerRecord<String, byte[]> reencode(ProducerRecord<String, byte[]> record, int id) {
        byte[] old = record.value();
        ByteBuffer value = ByteBuffer.allocate(old.length + 1);
        value.put(MAGIC).putInt(id).put(old, HEADER, old.length - HEADER).put(NULL_BRANCH);
        return new ProducerRecord<>(record.topic(), record.key(), value.array());
    }
}
