package dev.qrnnstreams.streams;

import dev.qrnnstreams.inference.InputRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.qrnnstreams.avro.Classification;
import dev.qrnnstreams.avro.DeadLetter;
import dev.qrnnstreams.avro.ErrorKind;
import dev.qrnnstreams.avro.TextEvent;
import dev.qrnnstreams.inference.StreamingClassifier;
import dev.qrnnstreams.nn.cpu.AdaptiveBackend;
import dev.qrnnstreams.nn.cpu.CpuBackend;
import dev.qrnnstreams.nn.QrnnStateCodec;
import dev.qrnnstreams.streams.serde.AvroDeserializer;
import dev.qrnnstreams.streams.serde.AvroSerializer;
import dev.qrnnstreams.streams.serde.ConfluentSchemaRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service against a real broker and a real registry server, with the shipped SST-2 model: real
 * reviews cut into random pieces and interleaved across keys give, after every piece, the prediction
 * an offline run makes over the key's whole token sequence so far, with half of the keys served by the
 * shipped embedding model and half by the shipped projection model; bad records reach the dead-letter topic. Subclasses say where
 * the broker and the registry run.
 */
abstract class StreamsScenarios {
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final Path SHIPPED_MODEL = Path.of("models", "sst2-qrnn");
    private static final Path SHIPPED_PROJECTION_MODEL = Path.of("models", "sst2-pqrnn");
    private static final int MAX_WORDS = 120;
    @TempDir
    Path stateDir;
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
    void shouldMatchAnOfflineRunOverEachKeysWholeTextWhenTheTextArrivesInRandomPieces() throws Exception {
        Map<String, StreamingClassifier> models = Map.of("sentiment", StreamingClassifier.load(SHIPPED_MODEL),
                "compact", StreamingClassifier.load(SHIPPED_PROJECTION_MODEL));
        TopologySettings settings = new TopologySettings("equivalence-in", "equivalence-classifications",
                "equivalence-translations", "equivalence-dlq", 64, Duration.ofMillis(20), ServiceConfig.defaults().recordLimits(),
                Duration.ofDays(1), Duration.ofMinutes(1), QrnnStateCodec.Precision.FLOAT32,
                ServiceConfig.defaults().translationSegmentMaxTokens(),
                ServiceConfig.defaults().earlyCommits());
        StreamsItSupport.createTopics(bootstrapServers(), 3, settings.inputTopic(), settings.classificationsTopic(),
                settings.translationsTopic(), settings.deadLetterTopic());
        Map<String, List<String>> messagesByKey = documents(new SplittableRandom(17), 40);
        int messages = messagesByKey.values().stream().mapToInt(List::size).sum();
        Map<String, String> modelByKey = new HashMap<>();
        messagesByKey.keySet().forEach(key -> modelByKey.put(key, modelByKey.size() % 2 == 0 ? "sentiment" : "compact"));

        try (QrnnService service = QrnnService.start(QrnnTopology.build(settings,
                StreamSerdes.avro(registry, true), ModelCatalog.builder().classifier("sentiment", models.get("sentiment"))
                        .classifier("compact", models.get("compact")).defaultModel("sentiment").build(),
                AdaptiveBackend::cpu, new DeadLetterCounter()),
                StreamsItSupport.streamsProperties(bootstrapServers(), "qrnn-it-equivalence-" + System.nanoTime(),
                        stateDir.toString()))) {
            produceInterleaved(settings.inputTopic(), messagesByKey, modelByKey, new SplittableRandom(5));
            produceBad(settings.inputTopic());

            List<ConsumerRecord<String, Classification>> outputs = StreamsItSupport.consume(bootstrapServers(),
                    settings.classificationsTopic(), new StringDeserializer(),
                    new AvroDeserializer<>(Classification.class, registry), messages, DEADLINE);
            List<ConsumerRecord<byte[], DeadLetter>> letters = StreamsItSupport.consume(bootstrapServers(),
                    settings.deadLetterTopic(), new ByteArrayDeserializer(),
                    new AvroDeserializer<>(DeadLetter.class, registry), 2, DEADLINE);

            assertThat(outputs).hasSize(messages);
            assertMatchesOffline(models, modelByKey, messagesByKey, outputs);
            assertThat(scrape(service)).contains("qrnn_processor_metrics_batch_size_max{",
                    "qrnn_processor_metrics_record_latency_p99{", "qrnn_processor_metrics_keys_with_state{",
                    "qrnn_processor_metrics_dead_letters_total{kind=\"EMPTY_TEXT\"");
            assertThat(letters).extracting(letter -> letter.value().getErrorKind())
                    .containsExactlyInAnyOrder(ErrorKind.DESERIALIZATION, ErrorKind.EMPTY_TEXT);
        }
    }

    /** The service's metrics as a Prometheus server scrapes them. */
    private static String scrape(QrnnService service) throws IOException, InterruptedException {
        try (PrometheusEndpoint endpoint = PrometheusEndpoint.start(new InetSocketAddress("127.0.0.1", 0),
                service::metrics, service::isRunning)) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + endpoint.port() + PrometheusEndpoint.METRICS_PATH)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        }
    }

    private static void assertMatchesOffline(Map<String, StreamingClassifier> models, Map<String, String> modelByKey,
                                             Map<String, List<String>> messagesByKey,
                                             List<ConsumerRecord<String, Classification>> outputs) {
        Map<String, List<Classification>> byKey = new HashMap<>();
        outputs.forEach(record -> byKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value()));
        try (CpuBackend backend = CpuBackend.vectorised()) {
            messagesByKey.forEach((key, messages) -> {
                List<Classification> received = byKey.get(key);
                assertThat(received).hasSize(messages.size());
                assertThat(received).extracting(Classification::getModelName).containsOnly(modelByKey.get(key));
                StreamingClassifier model = models.get(modelByKey.get(key));
                List<InputRows> rows = new ArrayList<>();
                for (int m = 0; m < messages.size(); m++) {
                    rows.add(model.rows(messages.get(m)));
                    InputRows soFar = InputRows.concat(rows);
                    float[] offline = model.advance(backend, List.of(model.initialState()), List.of(soFar)).get(0)
                            .probabilities();
                    assertThat(received.get(m).getTokensSeen()).isEqualTo(soFar.tokens());
                    assertThat(received.get(m).getScores().get("positive")).isCloseTo(offline[1], within(1e-5f));
                }
            });
        }
    }

    /** Each key's document: a real review cut at random word boundaries into messages of 1 to 8 words. */
    private static Map<String, List<String>> documents(SplittableRandom random, int keys) {
        Map<String, List<String>> documents = new LinkedHashMap<>();
        List<String> reviews = RealReviews.first(keys, MAX_WORDS);
        for (int k = 0; k < reviews.size(); k++) {
            String[] words = reviews.get(k).split(" ");
            List<String> messages = new ArrayList<>();
            for (int from = 0; from < words.length; ) {
                int to = Math.min(words.length, from + random.nextInt(1, 9));
                messages.add(String.join(" ", Arrays.copyOfRange(words, from, to)));
                from = to;
            }
            documents.put("review-" + k, messages);
        }
        return documents;
    }

    private void produceInterleaved(String topic, Map<String, List<String>> messagesByKey,
                                    Map<String, String> modelByKey, SplittableRandom random) {
        Map<String, Integer> next = new HashMap<>();
        List<String> open = new ArrayList<>(messagesByKey.keySet());
        try (KafkaProducer<String, TextEvent> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1), new StringSerializer(),
                new AvroSerializer<>(TextEvent.class, registry, false, true))) {
            int id = 0;
            while (!open.isEmpty()) {
                String key = open.get(random.nextInt(open.size()));
                int index = next.merge(key, 1, Integer::sum) - 1;
                List<String> messages = messagesByKey.get(key);
                producer.send(new ProducerRecord<>(topic, key, TextEvent.newBuilder().setEventId("m" + id++)
                        .setText(messages.get(index)).setModel(modelByKey.get(key)).setEventTime(Instant.now())
                        .build()));
                if (index == messages.size() - 1) {
                    open.remove(key);
                }
            }
        }
    }

    private void produceBad(String topic) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            AvroSerializer<TextEvent> serializer = new AvroSerializer<>(TextEvent.class, registry, false, true);
            byte[] key = "bad".getBytes(StandardCharsets.UTF_8);
            producer.send(new ProducerRecord<>(topic, key, "not avro".getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(topic, key, serializer.serialize(topic, TextEvent.newBuilder()
                    .setEventId("empty").setText("").setEventTime(Instant.now()).build())));
        }
    }
}
