package dev.qrnnstreams.streams;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every restore of a state store partition from its changelog (records and seconds) and keeps the totals:
 * the records restored and the span from the first restore's start to the last one's end, so that an operator
 * (and the benchmark) can read how long an instance took to rebuild its state. Kafka Streams restores several
 * partitions interleaved on one thread, so the span, not the sum of the partitions' times, is the wait.
 *
 * <p>Thread-safe.
 */
public final class RestoreLog implements StateRestoreListener {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreLog.class);
    private static final long NONE = Long.MIN_VALUE;

    private final AtomicLong records = new AtomicLong();
    private final AtomicLong firstStart = new AtomicLong(NONE);
    private final AtomicLong lastEnd = new AtomicLong(NONE);
    private final ConcurrentHashMap<TopicPartition, Long> started = new ConcurrentHashMap<>();

    /**
     * What has been restored since the instance started.
     *
     * @param records changelog records restored, over every store and partition
     * @param seconds from the first restore's start to the last one's end; 0 when nothing was restored
     */
    public record Totals(long records, double seconds) {
    }

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
        long now = System.nanoTime();
        firstStart.compareAndSet(NONE, now);
        started.put(partition, now);
        LOG.info("Restoring {} of store {} from offset {} to {}", partition, store, startingOffset, endingOffset);
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long restored) {
        records.addAndGet(restored);
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        long now = System.nanoTime();
        lastEnd.accumulateAndGet(now, Math::max);
        Long start = started.remove(partition);
        LOG.info("Restored {} of store {}: {} records in {} s", partition, store, totalRestored,
                start == null ? "?" : String.format(Locale.ROOT, "%.2f", (now - start) / 1e9));
    }

    /** The totals so far. */
    public Totals totals() {
        long first = firstStart.get();
        long last = lastEnd.get();
        return new Totals(records.get(), first == NONE || last == NONE ? 0 : (last - first) / 1e9);
    }
}
