package dev.qrnnstreams.demo;

import dev.qrnnstreams.avro.TextEvent;
import dev.qrnnstreams.streams.serde.AvroSerializer;
import dev.qrnnstreams.streams.serde.SchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends the planned records on its own thread at a steady pace, each {@code TextEvent} stamped with the
 * time it is sent, and tells the {@link OutputTracker} before each send. Bad records go out as raw bytes.
 *
 * <p>One produce request in flight at a time: on a topic created a moment before, the single-node
 * broker was seen to answer a first batch with NOT_LEADER_OR_FOLLOWER although it had appended it; with
 * later batches already appended, the idempotent producer's retry of that batch then failed with
 * OUT_OF_ORDER_SEQUENCE_NUMBER forever. With one request in flight the retry is the next request and
 * the broker answers it as a duplicate.
 */
final class DemoFeed implements AutoCloseable {
    private static final long MAX_SLEEP_MILLIS = 100;

    private final KafkaProducer<byte[], byte[]> producer;
    private final AvroSerializer<TextEvent> serializer;
    private final String topic;
    private final List<FeedItem> items;
    private final int messagesPerSecond;
    private final OutputTracker tracker;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean done;

    DemoFeed(String bootstrapServers, SchemaRegistry registry, String topic, List<FeedItem> items,
             int messagesPerSecond, OutputTracker tracker) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 2, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.serializer = new AvroSerializer<>(TextEvent.class, registry, false, true);
        this.topic = topic;
        this.items = List.copyOf(items);
        this.messagesPerSecond = messagesPerSecond;
        this.tracker = tracker;
        warmUp();
        this.thread = new Thread(this::sendAll, "qrnn-demo-feed");
        thread.start();
    }

    /** Whether every record has been sent (or the feed was stopped). */
    boolean done() {
        return done;
    }

    /** Stops sending, waits for the thread, and closes the producer. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
        producer.close(Duration.ofSeconds(10));
    }

    /**
     * Registers the input schema and fetches the topic's metadata before the clock starts, so the first
     * records are not held up behind them and then sent in a burst.
     */
    private void warmUp() {
        serializer.serialize(topic, TextEvent.newBuilder().setEventId("warm-up").setText("").setEventTime(Instant.now())
                .build());
        producer.partitionsFor(topic);
    }

    private void sendAll() {
        long start = System.nanoTime();
        try {
            for (int i = 0; i < items.size() && running; i++) {
                if (messagesPerSecond > 0 && !awaitTurn(start + TimeUnit.SECONDS.toNanos(i) / messagesPerSecond)) {
                    return;
                }
                send(items.get(i));
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            done = true;
        }
    }

    private boolean awaitTurn(long dueNanos) throws InterruptedException {
        for (long wait = dueNanos - System.nanoTime(); wait > 0; wait = dueNanos - System.nanoTime()) {
            if (!running) {
                return false;
            }
            Thread.sleep(Math.min(MAX_SLEEP_MILLIS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait))));
        }
        return running;
    }

    private void send(FeedItem item) {
        long now = System.currentTimeMillis();
        byte[] key = item.key() == null ? null : item.key().getBytes(StandardCharsets.UTF_8);
        byte[] value = item.isEvent()
                ? serializer.serialize(topic, TextEvent.newBuilder().setEventId(item.eventId()).setText(item.text())
                        .setModel(item.model()).setEndOfSegment(item.endOfSegment())
                        .setEventTime(Instant.ofEpochMilli(now)).build())
                : item.rawValue();
        tracker.expect(item, now);
        producer.send(new ProducerRecord<>(topic, key, value));
    }
}
