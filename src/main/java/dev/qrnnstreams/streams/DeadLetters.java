package dev.qrnnstreams.streams;

import dev.qrnnstreams.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;

/** Builds the dead letter of a rejected record: where it came from, its raw bytes and why. */
final class DeadLetters {
    private DeadLetters() {
    }

    static DeadLetter of(String topic, int partition, long offset, byte[] key, byte[] value, Rejection rejection,
                         Instant now) {
        return DeadLetter.newBuilder()
                .setOriginalTopic(topic)
                .setPartition(partition)
                .setOffset(offset)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setErrorKind(rejection.kind())
                .setErrorMessage(rejection.message())
                .setTime(now)
                .build();
    }
}
