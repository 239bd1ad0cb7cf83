package dev.qrnnstreams.streams.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads records in the {@link WireFormat Confluent wire format} into a generated Avro class. The
 * writer's schema comes from the registry by the id in the record, and Avro's schema resolution maps
 * it onto the class's schema, so records written with an older (or newer, compatible) schema read
 * fine: added fields take their defaults.
 *
 * <p>Thread-safe. Bytes that are not a record of this format fail with a
 * {@link SerializationException} saying why, as do bytes left over after the record and a string
 * or bytes length longer than the record ({@link LengthCheckedDecoder}); an id the registry does not know fails with
 * {@link UnknownSchemaException}.
 *
 * @param <T> the generated record class
 */
public final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    private final SchemaRegistry registry;
    private final Schema readerSchema;
    private final Map<Integer, DatumReader<T>> readersById = new ConcurrentHashMap<>();

    /** A deserializer into {@code type}, resolving writer schemas through {@code registry}. */
    public AvroDeserializer(Class<T> type, SchemaRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.readerSchema = SpecificData.getForClass(type).getSchema(type);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length < WireFormat.HEADER_BYTES) {
            throw new SerializationException("a record of " + data.length
                    + " bytes is shorter than the 5-byte Confluent wire-format header");
        }
        if (data[0] != WireFormat.MAGIC_BYTE) {
            throw new SerializationException("unknown magic byte " + data[0] + ": not the Confluent wire format");
        }
        int id = ByteBuffer.wrap(data, 1, Integer.BYTES).getInt();
        DatumReader<T> reader = readersById.computeIfAbsent(id, this::readerFor);
        try {
            LengthCheckedDecoder decoder = new LengthCheckedDecoder(DecoderFactory.get().binaryDecoder(data,
                    WireFormat.HEADER_BYTES, data.length - WireFormat.HEADER_BYTES, null));
            T record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new SerializationException(decoder.remaining() + " trailing bytes after the "
                        + readerSchema.getName() + " written with schema id " + id + " in a record from topic " + topic);
            }
            return record;
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
            throw new SerializationException("cannot decode a " + readerSchema.getName() + " written with schema id "
                    + id + " from topic " + topic + ": " + e.getMessage(), e);
        }
    }

    private DatumReader<T> readerFor(int id) {
        return new SpecificDatumReader<>(registry.schema(id), readerSchema);
    }
}
