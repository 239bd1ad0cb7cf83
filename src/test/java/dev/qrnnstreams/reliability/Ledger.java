package dev.qrnnstreams.reliability;

import dev.qrnnstreams.avro.Classification;
import dev.qrnnstreams.avro.DeadLetter;
import dev.qrnnstreams.avro.TextEvent;
import dev.qrnnstreams.streams.serde.AvroDeserializer;
import dev.qrnnstreams.streams.serde.SchemaRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Everything the service committed to its classifications and dead-letter topics, read from the start
 * with {@code read_committed} by a background consumer that keeps reading: how often each event id came
 * out, its (last) classification, and when it was first seen, so a scenario can count losses and
 * duplicates and time a recovery.
 */
final class Ledger implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String classificationsTopic;
    private final AvroDeserializer<Classification> classifications;
    private final AvroDeserializer<DeadLetter> deadLetters;
    private final AvroDeserializer<TextEvent> events;
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    private final Map<String, Classification> outputs = new ConcurrentHashMap<>();
    private final Map<String, Long> firstSeenNanos = new ConcurrentHashMap<>();
    private final List<DeadLetter> letters = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger outputCount = new AtomicInteger();
    private final AtomicInteger highestIndex = new AtomicInteger(-1);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile boolean keepOutputs = true;
    private volatile java.util.concurrent.atomic.AtomicIntegerArray tally;
    private final AtomicInteger tallied = new AtomicInteger();
    private final AtomicInteger tallyDuplicates = new AtomicInteger();

    private Ledger(Map<String, Object> consumerConfig, String classificationsTopic, String dlqTopic,
                   SchemaRegistry registry) {
        this.classificationsTopic = classificationsTopic;
        this.classifications = new AvroDeserializer<>(Classification.class, registry);
        this.deadLetters = new AvroDeserializer<>(DeadLetter.class, registry);
        this.events = new AvroDeserializer<>(TextEvent.class, registry);
        consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(classificationsTopic, dlqTopic)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            List<org.apache.kafka.common.PartitionInfo> found = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            while (found.isEmpty() && Polling.pause(deadline)) {
                found = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            }
            if (found.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " has no partitions");
            }
            found.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::run, "reliability-ledger-" + classificationsTopic);
        thread.setDaemon(true);
    }

    /** Starts reading {@code classificationsTopic} and {@code dlqTopic} of the cluster at {@code bootstrapServers}. */
    static Ledger start(String bootstrapServers, Map<String, Object> clientSecurity, String classificationsTopic,
                        String dlqTopic, SchemaRegistry registry) {
        Map<String, Object> config = new HashMap<>(clientSecurity);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        Ledger ledger = new Ledger(config, classificationsTopic, dlqTopic, registry);
        ledger.thread.start();
        return ledger;
    }

    private void run() {
        try {
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    take(record);
                }
            }
        } catch (WakeupException stopping) {
            // close() woke the consumer up
        } finally {
            consumer.close();
        }
    }

    private void take(ConsumerRecord<byte[], byte[]> record) {
        String eventId;
        if (record.topic().equals(classificationsTopic)) {
            Classification output = classifications.deserialize(record.topic(), record.value());
            eventId = output.getEventId();
            if (keepOutputs) {
                outputs.put(eventId, output);
            }
            outputCount.incrementAndGet();
        } else {
            DeadLetter letter = deadLetters.deserialize(record.topic(), record.value());
            letters.add(letter);
            eventId = eventIdOf(letter);
        }
        int dash = eventId.lastIndexOf('-');
        int index = -1;
        if (dash >= 0 && eventId.substring(dash + 1).chars().allMatch(Character::isDigit) && dash + 1 < eventId.length()) {
            index = Integer.parseInt(eventId.substring(dash + 1));
            highestIndex.accumulateAndGet(index, Math::max);
        }
        if (tally != null && index >= 0 && index < tally.length()) {
            if (tally.incrementAndGet(index) == 1) {
                tallied.incrementAndGet();
            } else {
                tallyDuplicates.incrementAndGet();
            }
            return;
        }
        counts.merge(eventId, 1, Integer::sum);
        firstSeenNanos.putIfAbsent(eventId, System.nanoTime());
    }

    private String eventIdOf(DeadLetter letter) {
        ByteBuffer value = letter.getValue();
        try {
            byte[] bytes = new byte[value.remaining()];
            value.duplicate().get(bytes);
            return events.deserialize(letter.getOriginalTopic(), bytes).getEventId();
        } catch (RuntimeException notAnEvent) {
            return "dead-letter@" + letter.getPartition() + ":" + letter.getOffset();
        }
    }

    /** Waits until {@code distinct} event ids have come out or the deadline passes; returns whether they did. */
    boolean awaitDistinct(int distinct, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            if (distinct() >= distinct) {
                return true;
            }
        } while (Polling.pause(deadline));
        return distinct() >= distinct;
    }

    /** Distinct event ids seen so far. */
    int distinct() {
        return counts.size() + tallied.get();
    }

    /**
     * Waits until an output of a workload record at position {@code index} or later came out; returns the
     * nanoTime it was seen, or -1 past the deadline.
     */
    long awaitIndex(int index, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            if (highestIndex.get() >= index) {
                return System.nanoTime();
            }
        } while (Polling.pause(deadline));
        return -1;
    }

    /**
     * Counts the event ids {@code <prefix>-0} to {@code <prefix>-<size - 1>} in an array instead of a map,
     * for runs of millions of records; {@link #lostAndDuplicated()} reads it. Call before records arrive.
     */
    Ledger indexed(int size) {
        tally = new java.util.concurrent.atomic.AtomicIntegerArray(size);
        keepOutputs = false;
        return this;
    }

    /** For an {@link #indexed} ledger: indices never seen, and extra copies. */
    int[] lostAndDuplicated() {
        return new int[] {tally.length() - tallied.get(), tallyDuplicates.get()};
    }

    /** Stops keeping each classification (counts only), for runs too long to hold them all. */
    Ledger countsOnly() {
        keepOutputs = false;
        return this;
    }

    /** How often each event id came out (classifications and dead letters together). */
    Map<String, Integer> counts() {
        return Map.copyOf(counts);
    }

    /** Each event id's classification. */
    Map<String, Classification> outputs() {
        return Map.copyOf(outputs);
    }

    /** Classification records read, duplicates included. */
    int outputCount() {
        return outputCount.get();
    }

    /** Dead letters read, duplicates included. */
    List<DeadLetter> deadLetters() {
        synchronized (letters) {
            return List.copyOf(letters);
        }
    }

    /** When {@code eventId} first came out ({@link System#nanoTime()}), if it has. */
    Long firstSeenNanos(String eventId) {
        return firstSeenNanos.get(eventId);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(10_000);
    }
}
