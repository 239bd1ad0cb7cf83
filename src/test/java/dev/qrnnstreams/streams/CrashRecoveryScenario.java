package dev.qrnnstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrnnstreams.avro.Classification;
import dev.qrnnstreams.avro.TextEvent;
import dev.qrnnstreams.inference.StreamingClassifier;
import dev.qrnnstreams.streams.serde.AvroDeserializer;
import dev.qrnnstreams.streams.serde.AvroSerializer;
import dev.qrnnstreams.streams.serde.ConfluentSchemaRegistry;
import dev.qrnnstreams.train.LabelledText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once across a crash: the service runs as a child JVM, is killed with SIGKILL while records
 * flow, and a new instance with an empty state directory takes over. Subclasses say where the broker
 * and the registry run. Every input yields exactly one
 * output, and each key's outputs count the key's tokens exactly as if nothing had happened, so no
 * buffered record was lost or stepped twice and no state advanced twice.
 */
abstract class CrashRecoveryScenario {
    private static final Duration DEADLINE = Duration.ofSeconds(150);
    /** A JVM stopped by SIGTERM exits with 128 + 15 after its shutdown hooks ran. */
    private static final int SIGTERM_EXIT_STATUS = 143;
    @TempDir
    Path work;
    private ConfluentSchemaRegistry registry;

    /** The broker's bootstrap servers. */
    abstract String bootstrapServers();

    /** The registry's Confluent-compatible base URL. */
    abstract String registryUrl();

    @BeforeEach
    void connectRegistry() {
        registry = ConfluentSchemaRegistry.connect(List.of(registryUrl()), Map.of());
    }

    @AfterEach
    void closeRegistry() {
        registry.close();
    }

    @Test
    void shouldNeitherLoseNorRepeatAnythingWhenAnInstanceIsKilledMidStream() throws Exception {
        StreamingClassifier model = TrainedTestModel.classifier("1");
        Path bundle = work.resolve("model");
        TrainedTestModel.bundle().write(bundle);
        StreamsItSupport.createTopics(bootstrapServers(), 3, "crash-in", "crash-classifications",
                "crash-translations", "crash-dlq");
        List<ProducerRecord<String, TextEvent>> records = records(30, 40);

        try (KafkaProducer<String, TextEvent> producer = producer()) {
            ServiceProcess first = ServiceProcess.start(settings(bundle, work.resolve("state-1")), work.resolve("first.log"));
            try (first) {
                int half = records.size() / 2;
                records.subList(0, half).forEach(producer::send);
                producer.flush();
                awaitOutputs(half / 2);
                records.subList(half, half + records.size() / 4).forEach(producer::send);
                producer.flush();
                first.kill();
            }
            try (ServiceProcess second = ServiceProcess.start(settings(bundle, work.resolve("state-2")),
                    work.resolve("second.log"))) {
                records.subList(records.size() / 2 + records.size() / 4, records.size()).forEach(producer::send);
                producer.flush();
                List<Classification> outputs = awaitOutputs(records.size());

                assertThat(second.isAlive()).isTrue();
                assertExactlyOnce(model, records, outputs);
                assertThat(second.terminate()).as("exit status after SIGTERM").isEqualTo(SIGTERM_EXIT_STATUS);
                assertThat(Files.readString(work.resolve("second.log"))).contains("Kafka Streams closed: work committed");
            }
        }
    }

    private static void assertExactlyOnce(StreamingClassifier model, List<ProducerRecord<String, TextEvent>> records,
                                          List<Classification> outputs) {
        assertThat(outputs).hasSize(records.size());
        Map<String, Classification> byEvent = outputs.stream()
                .collect(Collectors.toMap(Classification::getEventId, Function.identity()));
        assertThat(byEvent).hasSize(records.size());
        Map<String, Long> tokensSoFar = new HashMap<>();
        for (ProducerRecord<String, TextEvent> record : records) {
            long expected = tokensSoFar.merge(record.key(), (long) model.rows(record.value().getText()).tokens(),
                    Long::sum);
            assertThat(byEvent.get(record.value().getEventId()).getTokensSeen())
                    .as("tokens seen after %s", record.value().getEventId()).isEqualTo(expected);
        }
    }

    private List<Classification> awaitOutputs(int count) {
        List<ConsumerRecord<String, Classification>> received = StreamsItSupport.consume(bootstrapServers(),
                "crash-classifications", new StringDeserializer(),
                new AvroDeserializer<>(Classification.class, registry), count, DEADLINE);
        assertThat(received.size()).as("outputs within the deadline").isGreaterThanOrEqualTo(count);
        return received.stream().map(ConsumerRecord::value).toList();
    }

    /** {@code perKey} messages for each of {@code keys} keys, interleaved round-robin. */
    private static List<ProducerRecord<String, TextEvent>> records(int keys, int perKey) {
        List<LabelledText> sentences = TrainedTestModel.sentences(41, keys * perKey);
        Map<Integer, List<ProducerRecord<String, TextEvent>>> byRound = new LinkedHashMap<>();
        int id = 0;
        for (int m = 0; m < perKey; m++) {
            for (int k = 0; k < keys; k++) {
                byRound.computeIfAbsent(m, r -> new ArrayList<>()).add(new ProducerRecord<>("crash-in", "key-" + k,
                        TextEvent.newBuilder().setEventId("event-" + id).setText(sentences.get(id).text())
                                .setEventTime(Instant.now()).build()));
                id++;
            }
        }
        return byRound.values().stream().flatMap(List::stream).toList();
    }

    private Map<String, String> settings(Path bundle, Path stateDir) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bootstrap.servers", bootstrapServers());
        settings.put("schema.registry.url", registryUrl());
        settings.put("application.id", "qrnn-crash-it");
        settings.put("state.dir", stateDir.toString());
        settings.put("qrnn.models", "sentiment=" + bundle);
        settings.put("qrnn.default.model", "sentiment");
        settings.put("qrnn.input.topic", "crash-in");
        settings.put("qrnn.classifications.topic", "crash-classifications");
        settings.put("qrnn.translations.topic", "crash-translations");
        settings.put("qrnn.dlq.topic", "crash-dlq");
        settings.put("qrnn.batch.max.records", "16");
        settings.put("qrnn.metrics.port", "-1");
        settings.put("commit.interval.ms", "200");
        settings.put("session.timeout.ms", "6000");
        settings.put("heartbeat.interval.ms", "1000");
        settings.put("replication.factor", "1");
        return settings;
    }

    private KafkaProducer<String, TextEvent> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1),
                new StringSerializer(),
                new AvroSerializer<>(TextEvent.class, registry, false, true));
    }
}
