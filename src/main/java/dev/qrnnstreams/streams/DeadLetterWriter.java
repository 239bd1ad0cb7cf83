package dev.qrnnstreams.streams;

import dev.qrnnstreams.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Builds and encodes the dead letter of a rejected record so that it is always writable: where the
 * record came from, why it was rejected, and its raw key and value cut to their first
 * {@link RecordLimits#deadLetterRawBytes} bytes, with their sizes before the cut. The dead letter's
 * record key is the same prefix of the raw key. {@link RecordLimits} checks that such a dead letter
 * fits the record bound.
 *
 * <p>Immutable and thread-safe if its serializer is.
 */
public final class DeadLetterWriter {
    /** The Kafka Streams configuration entry under which the exception handlers find their writer. */
    public static final String CONFIG = "qrnn.dead.letter.writer";
    private final String topic;
    private final int rawMaxBytes;
    private final Serializer<DeadLetter> serializer;
    private final Clock clock;

    /** A writer of dead letters to {@code topic}, keeping {@code rawMaxBytes} of raw bytes, encoded by {@code serializer}. */
    public DeadLetterWriter(String topic, int rawMaxBytes, Serializer<DeadLetter> serializer, Clock clock) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.rawMaxBytes = rawMaxBytes;
        this.serializer = Objects.requireNonNull(serializer, "serializer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The writer in a Kafka Streams configuration, under {@value #CONFIG}.
     *
     * @throws IllegalStateException if there is none
     */
    static DeadLetterWriter from(Map<String, ?> configs) {
        if (configs.get(CONFIG) instanceof DeadLetterWriter writer) {
            return writer;
        }
        throw new IllegalStateException("the Kafka Streams configuration holds no " + CONFIG);
    }

    /** The dead-letter topic. */
    public String topic() {
        return topic;
    }

    /** The dead letter of the record at {@code sourceTopic}-{@code partition}@{@code offset}. */
    DeadLetter letter(String sourceTopic, int partition, long offset, byte[] key, byte[] value, Rejection rejection) {
        return DeadLetter.newBuilder()
                .setOriginalTopic(sourceTopic == null ? "" : sourceTopic)
                .setPartition(partition)
                .setOffset(offset)
                .setKey(key == null ? null : ByteBuffer.wrap(cut(key)))
                .setValue(value == null ? null : ByteBuffer.wrap(cut(value)))
                .setKeySize(key == null ? -1 : key.length)
                .setValueSize(value == null ? -1 : value.length)
                .setErrorKind(rejection.kind())
                .setErrorMessage(rejection.message())
                .setTime(clock.instant())
                .build();
    }

    /** The record key of a dead letter of a record keyed {@code key}: its bounded prefix. */
    byte[] recordKey(byte[] key) {
        return key == null ? null : cut(key);
    }

    /** {@code letter} in the dead-letter topic's encoding. */
    byte[] encode(DeadLetter letter) {
        return serializer.serialize(topic, letter);
    }

    /** The dead-letter record of the source record an exception handler was called for. */
    ProducerRecord<byte[], byte[]> record(ErrorHandlerContext context, Rejection rejection) {
        byte[] key = context.sourceRawKey();
        DeadLetter letter = letter(context.topic(), context.partition(), context.offset(), key,
                context.sourceRawValue(), rejection);
        return new ProducerRecord<>(topic, null, clock.millis(), recordKey(key), encode(letter));
    }

    private byte[] cut(byte[] bytes) {
        return bytes.length <= rawMaxBytes ? bytes : Arrays.copyOf(bytes, rawMaxBytes);
    }
}
