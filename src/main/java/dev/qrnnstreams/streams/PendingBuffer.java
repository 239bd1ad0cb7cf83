package dev.qrnnstreams.streams;

import dev.qrnnstreams.avro.internal.PendingEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The records accepted but not yet stepped, in a changelogged store keyed by a per-task sequence
 * number. Long keys serialise big-endian, so the store iterates in arrival order. The buffer is part
 * of the task's exactly-once commit: after a crash it is restored from its changelog and its records
 * are stepped once, by the restarted task.
 *
 * <p>Every drain deletes what it read, so the store's key space begins with a growing run of deleted
 * sequence numbers, whose tombstones RocksDB keeps until a compaction reaches them. A read from the
 * store's first key would step over all of them, at a cost that grows for as long as the service runs;
 * the buffer therefore reads only its live range, from the oldest buffered sequence number to the newest,
 * which RocksDB seeks to directly.
 *
 * <p>Confined to the stream thread of its task.
 */
final class PendingBuffer {
    private final KeyValueStore<Long, byte[]> store;
    private long firstSequence;
    private long nextSequence;
    private int size;
    private long oldestReceivedAt = Long.MAX_VALUE;

    PendingBuffer(KeyValueStore<Long, byte[]> store) {
        this.store = store;
        try (KeyValueIterator<Long, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<Long, byte[]> entry = all.next();
                if (size == 0) {
                    firstSequence = entry.key;
                }
                nextSequence = entry.key + 1;
                size++;
                oldestReceivedAt = Math.min(oldestReceivedAt, decode(entry.value).getReceivedAt().toEpochMilli());
            }
        }
    }

    /** Appends {@code event} after every buffered record. */
    void append(PendingEvent event) {
        if (size == 0) {
            firstSequence = nextSequence;
        }
        try {
            store.put(nextSequence++, event.toByteBuffer().array());
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a buffered record failed", e);
        }
        size++;
        oldestReceivedAt = Math.min(oldestReceivedAt, event.getReceivedAt().toEpochMilli());
    }

    /** Buffered records. */
    int size() {
        return size;
    }

    /** Wall-clock millis at which the oldest buffered record arrived; {@link Long#MAX_VALUE} when empty. */
    long oldestReceivedAt() {
        return oldestReceivedAt;
    }

    /** Removes and returns every buffered record, oldest first. */
    List<PendingEvent> drain() {
        if (size == 0) {
            return List.of();
        }
        List<Long> sequences = new ArrayList<>(size);
        List<PendingEvent> events = new ArrayList<>(size);
        try (KeyValueIterator<Long, byte[]> live = store.range(firstSequence, nextSequence - 1)) {
            while (live.hasNext()) {
                KeyValue<Long, byte[]> entry = live.next();
                sequences.add(entry.key);
                events.add(decode(entry.value));
            }
        }
        for (Long sequence : sequences) {
            store.delete(sequence);
        }
        size = 0;
        oldestReceivedAt = Long.MAX_VALUE;
        return events;
    }

    private static PendingEvent decode(byte[] bytes) {
        try {
            return PendingEvent.fromByteBuffer(ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("the batch buffer holds a record this build cannot read", e);
        }
    }
}
