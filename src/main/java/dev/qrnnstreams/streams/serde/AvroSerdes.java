package dev.qrnnstreams.streams.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Serdes for generated Avro records in the Confluent wire format. */
public final class AvroSerdes {

    private AvroSerdes() {
    }

    /**
     * A value serde for {@code type} that registers its schema under {@code <topic>-value} on first
     * use when {@code autoRegister} is true.
     */
    public static <T extends SpecificRecord> Serde<T> value(Class<T> type, SchemaRegistry registry,
                                                             boolean autoRegister) {
        return Serdes.serdeFrom(new AvroSerializer<>(type, registry, false, autoRegister),
                new AvroDeserializer<>(type, registry));
    }
}
