package dev.qrnnstreams.perf;

import dev.qrnnstreams.avro.TextEvent;
import dev.qrnnstreams.streams.serde.AvroSerializer;
import dev.qrnnstreams.streams.serde.SchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends the benchmark's messages as {@code TextEvent}s in the Confluent wire format: all at once (a
 * backlog) or at a steady rate. Values are encoded once per topic before the clock starts, so the feed
 * costs the service's cores as little as possible; the producer stamps each record with its send time.
 * Confined to the calling thread.
 */
final class Feeder implements AutoCloseable {
    private static final String MODEL = "review-sentiment";
    private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(30);
    private static final long LEADER_POLL_NANOS = 50_000_000L;
    private final KafkaProducer<byte[], byte[]> producer;
    private final SchemaRegistry registry;
    private final List<BenchCorpus.Message> messages;
    private int next;

    Feeder(String bootstrapServers, SchemaRegistry registry, List<BenchCorpus.Message> messages) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 0, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.registry = registry;
        this.messages = List.copyOf(messages);
    }

    /** The name every event gives as its model, so the service routes it to the measured classifier. */
    static String model() {
        return MODEL;
    }

    /** Sends {@code records} as fast as the producer can (the feed wrapping around its messages) and flushes. */
    void backlog(String topic, int records) {
        List<Encoded> encoded = encode(topic);
        for (int i = 0; i < records; i++) {
            send(topic, encoded);
        }
        producer.flush();
    }

    /** Sends at {@code perSecond} for {@code duration}, then flushes; returns how many were sent. */
    long paced(String topic, double perSecond, Duration duration) {
        List<Encoded> encoded = encode(topic);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long sent = 0;
        while (true) {
            long due = start + (long) (sent * 1e9 / perSecond);
            if (due >= end) {
                break;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            send(topic, encoded);
            sent++;
        }
        producer.flush();
        return sent;
    }

    private void send(String topic, List<Encoded> encoded) {
        Encoded message = encoded.get(next);
        next = (next + 1) % encoded.size();
        producer.send(new ProducerRecord<>(topic, message.key(), message.value()));
    }

    /**
     * Encodes the messages for {@code topic}, once its every partition has a leader: an idempotent producer
     * that starts sending to a topic just created can race its leader election and loop on out-of-order
     * sequence errors.
     */
    private List<Encoded> encode(String topic) {
        awaitLeaders(topic);
        AvroSerializer<TextEvent> serializer = new AvroSerializer<>(TextEvent.class, registry, false, true);
        List<Encoded> encoded = new ArrayList<>(messages.size());
        Instant now = Instant.now();
        for (int i = 0; i < messages.size(); i++) {
            BenchCorpus.Message message = messages.get(i);
            encoded.add(new Encoded(message.key().getBytes(StandardCharsets.UTF_8), serializer.serialize(topic,
                    TextEvent.newBuilder().setEventId("m" + i).setText(message.text()).setModel(MODEL)
                            .setEndOfSegment(message.endOfSegment()).setEventTime(now).build())));
        }
        return encoded;
    }

    private void awaitLeaders(String topic) {
        long deadline = System.nanoTime() + LEADER_TIMEOUT.toNanos();
        while (producer.partitionsFor(topic).stream().anyMatch(partition -> partition.leader() == null
                || partition.leader().isEmpty())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(topic + " has a partition without a leader after " + LEADER_TIMEOUT);
            }
            LockSupport.parkNanos(LEADER_POLL_NANOS);
        }
    }

    private record Encoded(byte[] key, byte[] value) {
    }

    /** Closes the producer, waiting up to ten seconds for records in flight. */
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
