package dev.qrnnstreams.streams;

import dev.qrnnstreams.avro.Classification;
import dev.qrnnstreams.avro.DeadLetter;
import dev.qrnnstreams.avro.TextEvent;
import dev.qrnnstreams.avro.Translation;
import dev.qrnnstreams.streams.serde.AvroDeserializer;
import dev.qrnnstreams.streams.serde.AvroSerializer;
import dev.qrnnstreams.streams.serde.SchemaRegistry;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The value serdes of the topology's topics: how input events are read and how outputs and dead
 * letters are written.
 *
 * @param textEvents reads input values
 * @param classifications writes classifier outputs
 * @param translations writes translator outputs
 * @param deadLetters writes dead letters
 */
public record StreamSerdes(Deserializer<TextEvent> textEvents, Serializer<Classification> classifications,
                           Serializer<Translation> translations, Serializer<DeadLetter> deadLetters) {

    /** Validates the fields. */
    public StreamSerdes {
        Objects.requireNonNull(textEvents, "textEvents");
        Objects.requireNonNull(classifications, "classifications");
        Objects.requireNonNull(translations, "translations");
        Objects.requireNonNull(deadLetters, "deadLetters");
    }

    /**
     * Avro in the Confluent wire format through {@code registry}, with TopicNameStrategy subjects
     * ({@code <topic>-value}), registering the output schemas on first use when {@code autoRegister}.
     */
    public static StreamSerdes avro(SchemaRegistry registry, boolean autoRegister) {
        return new StreamSerdes(new AvroDeserializer<>(TextEvent.class, registry),
                new AvroSerializer<>(Classification.class, registry, false, autoRegister),
                new AvroSerializer<>(Translation.class, registry, false, autoRegister),
                new AvroSerializer<>(DeadLetter.class, registry, false, autoRegister));
    }
}
