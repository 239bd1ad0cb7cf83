package dev.qrnnstreams.perf;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads an output topic with a {@code read_committed} consumer on its own thread, assigned every
 * partition from the beginning, without decoding values: it counts outputs and times each one from its
 * record timestamp (the service forwards the input record's timestamp, which the producer set at send
 * time) to the moment it becomes visible here. Every method may be called from any thread.
 */
final class OutputWatcher implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(20);
    private static final long WAIT_TICK_MILLIS = 20;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final AtomicLong count = new AtomicLong();
    private final Object lock = new Object();
    private double[] latencies = new double[4_096];
    private int latencyCount;
    private long firstSeenNanos = -1;
    private long firstSeenCount;
    private long lastSeenNanos = -1;
    private volatile boolean running = true;

    OutputWatcher(String bootstrapServers, String topic) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(partition -> new TopicPartition(topic, partition.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        partitions.forEach(consumer::position);
        thread = new Thread(this::readLoop, "qrnn-bench-watcher-" + topic);
        thread.start();
    }

    /** Outputs seen so far. */
    long count() {
        return count.get();
    }

    /**
     * Waits until {@code expected} outputs have been seen, at most {@code timeout}; returns whether they
     * were.
     */
    boolean awaitCount(long expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count.get() < expected) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(WAIT_TICK_MILLIS);
        }
        return true;
    }

    /**
     * Outputs per second between the first poll that returned outputs and the last one, counting the
     * outputs after the first poll: the drain rate of a backlog, free of the start-up time.
     */
    double drainRate() {
        synchronized (lock) {
            double seconds = (lastSeenNanos - firstSeenNanos) / 1e9;
            return seconds > 0 ? (count.get() - firstSeenCount) / seconds : 0;
        }
    }

    /** Forgets the latencies seen so far, to time a new phase. */
    void resetLatencies() {
        synchronized (lock) {
            latencyCount = 0;
        }
    }

    /** The end-to-end latencies seen since the last {@link #resetLatencies}, in milliseconds. */
    Percentiles latencies() {
        synchronized (lock) {
            return Percentiles.of(Arrays.copyOf(latencies, latencyCount));
        }
    }

    /** Stops the reader thread and closes its consumer. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join();
    }

    private void readLoop() {
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (records.isEmpty()) {
                    continue;
                }
                long now = System.currentTimeMillis();
                synchronized (lock) {
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        add(now - record.timestamp());
                    }
                    long nanos = System.nanoTime();
                    if (firstSeenNanos < 0) {
                        firstSeenNanos = nanos;
                        firstSeenCount = records.count();
                    }
                    lastSeenNanos = nanos;
                    count.addAndGet(records.count());
                }
            }
        } catch (WakeupException stopping) {
            // close() asked the loop to stop
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void add(double millis) {
        if (latencyCount == latencies.length) {
            latencies = Arrays.copyOf(latencies, latencies.length * 2);
        }
        latencies[latencyCount++] = millis;
    }
}
