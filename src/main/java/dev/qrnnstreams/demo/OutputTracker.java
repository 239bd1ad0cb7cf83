package dev.qrnnstreams.demo;

import dev.qrnnstreams.avro.Classification;
import dev.qrnnstreams.avro.DeadLetter;
import dev.qrnnstreams.avro.ErrorKind;
import dev.qrnnstreams.avro.TextEvent;
import dev.qrnnstreams.avro.Translation;
import dev.qrnnstreams.streams.serde.AvroDeserializer;
import dev.qrnnstreams.streams.serde.SchemaRegistry;
import dev.qrnnstreams.train.ClassificationDataset;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the service's outputs and dead letters with a {@code read_committed} consumer on its own thread
 * (assigned every partition up front, so no group join delays the first reads),
 * matches them to what the feed sent by event id, and keeps the statistics of the live view and the
 * summary. {@link #expect} is called by the feed before it sends a record; {@link #snapshot} from any
 * thread.
 */
final class OutputTracker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutputTracker.class);
    private static final int LATEST = 5;
    private static final int SNIPPET = 60;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topics topics;
    private final AvroDeserializer<Classification> classifications;
    private final AvroDeserializer<Translation> translations;
    private final AvroDeserializer<DeadLetter> deadLetters;
    private final AvroDeserializer<TextEvent> events;
    private final Map<String, Sent> sent = new ConcurrentHashMap<>();
    private final Thread thread;
    private final Object lock = new Object();
    private final Set<String> answered = new HashSet<>();
    private final Map<ErrorKind, Long> deadLetterCounts = new EnumMap<>(ErrorKind.class);
    private final Map<String, long[]> accuracy = new TreeMap<>();
    private final Deque<String> latestClassifications = new ArrayDeque<>();
    private final Deque<String> latestTranslations = new ArrayDeque<>();
    private long[] latencies = new long[1024];
    private int latencyCount;
    private long sentCount;
    private long required;
    private long requiredAnswered;
    private long undecodableExpected;
    private long undecodableSeen;
    private long classificationCount;
    private long translationCount;
    private final long startedAt = System.currentTimeMillis();
    private long firstSent = -1;
    private long lastReceived = -1;
    private volatile boolean running = true;

    /**
     * The topics the service reads and writes.
     *
     * @param input the input topic
     * @param classifications the classifications topic
     * @param translations the translations topic
     * @param deadLetters the dead-letter topic
     */
    record Topics(String input, String classifications, String translations, String deadLetters) {
    }

    private record Sent(FeedItem item, long eventTime) {
    }

    OutputTracker(String bootstrapServers, SchemaRegistry registry, Topics topics) {
        this.topics = topics;
        this.classifications = new AvroDeserializer<>(Classification.class, registry);
        this.translations = new AvroDeserializer<>(Translation.class, registry);
        this.deadLetters = new AvroDeserializer<>(DeadLetter.class, registry);
        this.events = new AvroDeserializer<>(TextEvent.class, registry);
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = Stream.of(topics.classifications(), topics.translations(),
                        topics.deadLetters())
                .flatMap(topic -> consumer.partitionsFor(topic).stream())
                .map(partition -> new TopicPartition(partition.topic(), partition.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        partitions.forEach(consumer::position);
        this.thread = new Thread(this::readLoop, "qrnn-demo-reader");
        thread.start();
    }

    /** Records that {@code item} is sent now with {@code eventTime}; called before the send. */
    void expect(FeedItem item, long eventTime) {
        synchronized (lock) {
            sentCount++;
            if (firstSent < 0) {
                firstSent = eventTime;
            }
            if (item.isEvent()) {
                sent.put(item.eventId(), new Sent(item, eventTime));
                required++;
            } else {
                undecodableExpected++;
            }
        }
    }

    /** Whether every record that must be answered has been. */
    boolean complete() {
        synchronized (lock) {
            return requiredAnswered == required && undecodableSeen >= undecodableExpected;
        }
    }

    /** When the last output or dead letter was read, in epoch milliseconds; -1 before the first. */
    long lastReceived() {
        synchronized (lock) {
            return lastReceived;
        }
    }

    DemoStats snapshot(long now) {
        synchronized (lock) {
            long elapsed = now - startedAt;
            long received = classificationCount + translationCount
                    + deadLetterCounts.values().stream().mapToLong(Long::longValue).sum();
            double span = firstSent < 0 || lastReceived < 0 ? 0 : (lastReceived - firstSent) / 1000.0;
            Map<String, DemoStats.Accuracy> byModel = new TreeMap<>();
            accuracy.forEach((model, counts) -> byModel.put(model, new DemoStats.Accuracy(counts[0], counts[1])));
            return new DemoStats(elapsed, sentCount, required + undecodableExpected,
                    requiredAnswered + Math.min(undecodableSeen, undecodableExpected), classificationCount,
                    translationCount, deadLetterCounts, DemoStats.Latency.of(Arrays.copyOf(latencies, latencyCount)),
                    span > 0 ? received / span : 0, byModel, List.copyOf(latestClassifications),
                    List.copyOf(latestTranslations));
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
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.currentTimeMillis();
                    try {
                        handle(record, now);
                    } catch (RuntimeException e) {
                        LOG.warn("Could not read {}-{}@{}", record.topic(), record.partition(), record.offset(), e);
                    }
                }
            }
        } catch (WakeupException stopping) {
            LOG.debug("Output reader stopping");
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record, long now) {
        String topic = record.topic();
        if (topic.equals(topics.classifications())) {
            Classification output = classifications.deserialize(topic, record.value());
            synchronized (lock) {
                classificationCount++;
                Sent source = answer(output.getEventId(), now);
                addLatest(latestClassifications, describe(output, source));
                if (source != null && source.item().endOfSegment() && source.item().review() >= 0) {
                    long[] counts = accuracy.computeIfAbsent(source.item().model(), model -> new long[2]);
                    String expected = ClassificationDataset.LABELS.get(source.item().label());
                    counts[0] += expected.equals(output.getLabel()) ? 1 : 0;
                    counts[1]++;
                }
            }
        } else if (topic.equals(topics.translations())) {
            Translation output = translations.deserialize(topic, record.value());
            synchronized (lock) {
                translationCount++;
                answer(output.getEventId(), now);
                if (output.getFinal$()) {
                    addLatest(latestTranslations, snippet(output.getSource()) + "  ->  " + output.getTranslation());
                }
            }
        } else {
            DeadLetter letter = deadLetters.deserialize(topic, record.value());
            String eventId = eventIdOf(letter);
            synchronized (lock) {
                deadLetterCounts.merge(letter.getErrorKind(), 1L, Long::sum);
                if (eventId == null || !sent.containsKey(eventId)) {
                    undecodableSeen++;
                    lastReceived = now;
                } else {
                    answer(eventId, now);
                    if (sent.get(eventId).item().expectedDeadLetter().isEmpty()) {
                        LOG.warn("A demo message went to the dead-letter topic: {} {}", letter.getErrorKind(),
                                letter.getErrorMessage());
                    }
                }
            }
        }
    }

    private String eventIdOf(DeadLetter letter) {
        if (letter.getValue() == null) {
            return null;
        }
        byte[] value = new byte[letter.getValue().remaining()];
        letter.getValue().duplicate().get(value);
        try {
            return events.deserialize(topics.input(), value).getEventId();
        } catch (RuntimeException notAnEvent) {
            return null;
        }
    }

    /** Marks {@code eventId} answered and times it; returns what was sent, or null if unknown. */
    private Sent answer(String eventId, long now) {
        lastReceived = now;
        Sent source = sent.get(eventId);
        if (source == null) {
            return null;
        }
        if (answered.add(eventId)) {
            if (source.item().isEvent()) {
                requiredAnswered++;
            }
            if (source.item().expectedDeadLetter().isEmpty()) {
                if (latencyCount == latencies.length) {
                    latencies = Arrays.copyOf(latencies, latencies.length * 2);
                }
                latencies[latencyCount++] = now - source.eventTime();
            }
        }
        return source;
    }

    private static String describe(Classification output, Sent source) {
        float score = output.getScores().getOrDefault(output.getLabel(), Float.NaN);
        String text = source == null ? "" : snippet(source.item().text());
        String end = source != null && source.item().endOfSegment() ? " [end]" : "";
        return String.format(Locale.ROOT, "%-11s %-8s %.2f %-9s%s \"%s\"", output.getKey(), output.getLabel(), score,
                output.getTokensSeen() + " tok", end, text);
    }

    private static String snippet(String text) {
        String flat = text.replaceAll("<br\\s*/?>", " ").replaceAll("\\s+", " ").strip();
        return flat.length() <= SNIPPET ? flat : flat.substring(0, SNIPPET - 3) + "...";
    }

    private static void addLatest(Deque<String> latest, String line) {
        latest.addLast(line);
        if (latest.size() > LATEST) {
            latest.removeFirst();
        }
    }
}
