package dev.qrnnstreams.streams;

import dev.qrnnstreams.embedded.Topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.StreamsConfig;

/** Consuming with a deadline and the Streams settings the integration tests share. */
final class StreamsItSupport {
    private StreamsItSupport() {
    }

    /** Exactly-once Streams settings with short commit and poll intervals, for a test's own application id. */
    static Properties streamsProperties(String bootstrapServers, String applicationId, String stateDir) {
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        properties.put(StreamsConfig.POLL_MS_CONFIG, 10);
        properties.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        return properties;
    }

    /** Creates {@code names} with {@code partitions} partitions each and replication factor 1. */
    static void createTopics(String bootstrapServers, int partitions, String... names) {
        Topics.create(bootstrapServers, partitions, Duration.ofSeconds(30), names);
    }

    /**
     * Reads committed records of {@code topic} from the start until {@code count} arrived or
     * {@code timeout} passed, and returns what arrived.
     */
    static <K, V> List<ConsumerRecord<K, V>> consume(String bootstrapServers, String topic, Deserializer<K> keys,
                                                     Deserializer<V> values, int count, Duration timeout) {
        List<ConsumerRecord<K, V>> received = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + topic + "-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), keys, values)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (received.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
        }
        return received;
    }
}
