package dev.qrnnstreams.streams;

import java.time.Clock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * The input record's timestamp, clamped to the wall-clock time at which it is read: a timestamp in
 * the future becomes now, and a negative (missing or invalid) one becomes now too. Every record the
 * service writes for an input (its output or dead letter, and its changelog records) carries this
 * timestamp, so a broker that rejects timestamps too far ahead of its clock
 * ({@code message.timestamp.after.max.ms}, one hour by default) or negative ones never rejects a write.
 *
 * <p>Thread-safe.
 */
final class ClampedTimestampExtractor implements TimestampExtractor {
    private final Clock clock;

    ClampedTimestampExtractor(Clock clock) {
        this.clock = clock;
    }

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        long now = clock.millis();
        long timestamp = record.timestamp();
        return timestamp < 0 || timestamp > now ? now : timestamp;
    }
}
