package dev.qrnnstreams.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startCluster() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopCluster() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldDeliverProducedRecordsInOrderToAConsumerGroup() throws Exception {
        String topic = "embedded-kafka-it-plain";
        kafka.createTopics(1, topic);
        List<String> sent = List.of("one", "two", "three", "four", "five");

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(Map.of()))) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (String value : sent) {
                acks.add(producer.send(new ProducerRecord<>(topic, "key", value)));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        assertThat(consume(topic, "read_uncommitted", sent.size())).containsExactlyElementsOf(sent);
    }

    @Test
    void shouldShowReadCommittedConsumersOnlyCommittedTransactions() {
        String topic = "embedded-kafka-it-transactions";
        kafka.createTopics(2, topic);

        Map<String, Object> transactional = Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-kafka-it-tx");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(transactional))) {
            producer.initTransactions();
            sendInTransaction(producer, topic, List.of("committed-1", "committed-2"));
            producer.commitTransaction();
            sendInTransaction(producer, topic, List.of("aborted"));
            producer.flush(); // into the log, so that there is an aborted record to skip
            producer.abortTransaction();
            sendInTransaction(producer, topic, List.of("committed-3"));
            producer.commitTransaction();
        }

        assertThat(consume(topic, "read_committed", 3)).containsExactly("committed-1", "committed-2", "committed-3");
        assertThat(consume(topic, "read_uncommitted", 4)).contains("aborted");
    }

    @Test
    void shouldReleaseItsPortAndDeleteItsLogWhenClosed() {
        EmbeddedKafka closing = EmbeddedKafka.start();
        String bootstrapServers = closing.bootstrapServers();
        Path directory = closing.directory();
        assertThat(isListening(bootstrapServers)).isTrue();

        closing.close();

        assertThat(isListening(bootstrapServers)).isFalse();
        assertThat(directory).doesNotExist();
    }

    private static void sendInTransaction(KafkaProducer<String, String> producer, String topic, List<String> values) {
        producer.beginTransaction();
        values.forEach(value -> producer.send(new ProducerRecord<>(topic, "key", value)));
    }

    /** Values of {@code topic} from the start, until {@code expected} have arrived or the deadline passes. */
    private static List<String> consume(String topic, String isolationLevel, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, topic + "-" + isolationLevel,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            while (values.size() < expected && System.nanoTime() - deadline < 0) {
                consumer.poll(POLL).forEach(record -> values.add(record.value()));
            }
        }
        return values;
    }

    private static Map<String, Object> producerConfig(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(extra);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return config;
    }

    private static boolean isListening(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        InetSocketAddress address = new InetSocketAddress(hostAndPort.substring(0, colon),
                Integer.parseInt(hostAndPort.substring(colon + 1)));
        try (Socket socket = new Socket()) {
            socket.connect(address, (int) Duration.ofSeconds(5).toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
