package dev.qrnnstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.qrnnstreams.avro.Classification;
import dev.qrnnstreams.avro.internal.KeyState;
import dev.qrnnstreams.inference.InputRows;
import dev.qrnnstreams.inference.StreamingClassifier;
import dev.qrnnstreams.nn.cpu.CpuBackend;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.QrnnStateCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The topology's routing, batching, per-key state, flags and expiry, under the test driver. */
class QrnnTopologyTest extends SentimentTopologyTest {
    private static final String REVIEW = "the story was really moving and the acting was superb, "
            + "but the music was quite boring and the plot of the film was clumsy. a wonderful film.";
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedding", "projection", "pooled readout"})
    void shouldEmitAfterEachMessageThePredictionForAllTextOfTheKeySoFar(String input) {
        StreamingClassifier model = switch (input) {
            case "projection" -> TrainedTestModel.projected("1");
            case "pooled readout" -> TrainedTestModel.pooled("1");
            default -> MODEL;
        };
        fixture = new TopologyFixture(TopologySettings.defaults().withMaxBatchRecords(1),
                ModelCatalog.builder().classifier("sentiment", model).defaultModel("sentiment").build(), stateDir);
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 5; trial++) {
            List<String> messages = randomSplit(REVIEW, random);
            String key = "doc-" + trial;
            messages.forEach(message -> fixture.send(key, message));

            List<Classification> outputs = fixture.classifications.readValuesToList();
            assertThat(outputs).hasSize(messages.size());
            List<InputRows> rows = new ArrayList<>();
            for (int m = 0; m < messages.size(); m++) {
                rows.add(model.rows(messages.get(m)));
                StreamingClassifier.Prediction offline = offline(model, rows);
                Classification output = outputs.get(m);
                assertThat(output.getKey()).isEqualTo(key);
                assertThat(output.getTokensSeen()).isEqualTo(InputRows.concat(rows).tokens());
                assertThat(output.getScores().get("positive")).isCloseTo(offline.probabilities()[1], within(1e-5f));
                assertThat(output.getLabel()).isEqualTo(TrainedTestModel.LABELS.get(offline.label()));
                assertThat(output.getModelName()).isEqualTo("sentiment");
                assertThat(output.getModelVersion()).isEqualTo("1");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sst2-pqrnn", "imdb-pqrnn"})
    void shouldMatchAnOfflineRunWhenAShippedProjectionModelIsConfiguredByName(String name) throws IOException {
        Path bundle = Path.of("models", name);
        StreamingClassifier model = StreamingClassifier.load(bundle);
        fixture = new TopologyFixture(TopologySettings.defaults().withMaxBatchRecords(8),
                ModelCatalog.load(Map.of("compact", bundle), "compact", UnaryOperator.identity()), stateDir);
        SplittableRandom random = new SplittableRandom(11);
        Map<String, List<String>> messagesByKey = new LinkedHashMap<>();
        List<String> reviews = RealReviews.first(6, 80);
        for (int r = 0; r < reviews.size(); r++) {
            messagesByKey.put("review-" + r, randomSplit(reviews.get(r), random));
        }
        messagesByKey.forEach((key, messages) -> messages.forEach(message -> fixture.send(key, message)));
        fixture.advance(Duration.ofMillis(50));

        Map<String, List<Classification>> byKey = new HashMap<>();
        fixture.classifications.readValuesToList()
                .forEach(output -> byKey.computeIfAbsent(output.getKey(), k -> new ArrayList<>()).add(output));
        messagesByKey.forEach((key, messages) -> {
            List<InputRows> rows = new ArrayList<>();
            for (int m = 0; m < messages.size(); m++) {
                rows.add(model.rows(messages.get(m)));
                Classification output = byKey.get(key).get(m);
                assertThat(output.getModelName()).isEqualTo("compact");
                assertThat(output.getTokensSeen()).isEqualTo(InputRows.concat(rows).tokens());
                assertThat(output.getScores().get("positive"))
                        .isCloseTo(offline(model, rows).probabilities()[1], within(1e-5f));
            }
        });
    }

    @Test
    void shouldEmitTheDataOwnClassNamesWhenTheModelHasMoreThanTwoClasses() throws java.io.IOException {
        StreamingClassifier questions = StreamingClassifier.load(Path.of("models/trec-qrnn"));
        fixture = new TopologyFixture(TopologySettings.defaults().withMaxBatchRecords(1),
                ModelCatalog.builder().classifier("question-type", questions).defaultModel("question-type").build(),
                stateDir);

        fixture.send("q-1", "How many people live");
        fixture.send("q-1", " in Tokyo ?");

        List<Classification> outputs = fixture.classifications.readValuesToList();
        assertThat(outputs).hasSize(2);
        Classification last = outputs.get(1);
        assertThat(last.getScores()).containsOnlyKeys("ABBR", "DESC", "ENTY", "HUM", "LOC", "NUM");
        assertThat(last.getScores().values().stream().mapToDouble(Float::doubleValue).sum()).isCloseTo(1, within(1e-4));
        assertThat(last.getLabel()).isEqualTo("NUM");
    }

    @Test
    void shouldHoldRecordsUntilTheBatchIsFullThenStepThemTogether() {
        fixture = new TopologyFixture(TopologySettings.defaults().withMaxBatchRecords(4), CATALOG, stateDir);
        IntStream.range(0, 3).forEach(i -> fixture.send("key-" + i, "a superb film."));
        assertThat(fixture.classifications.isEmpty()).isTrue();

        fixture.send("key-3", "an awful film.");

        assertThat(fixture.classifications.readKeyValuesToList()).extracting(kv -> kv.key)
                .containsExactly("key-0", "key-1", "key-2", "key-3");
        assertThat(metric("batch-size-max")).isEqualTo(4.0);
    }

    @Test
    void shouldPutEveryStoreUnderTheOneSharedRocksDbBudget() {
        fixture = new TopologyFixture(TopologySettings.defaults().withMaxBatchRecords(2), CATALOG, stateDir);
        IntStream.range(0, 6).forEach(i -> fixture.send("key-" + i, "a superb film."));

        Map<String, Double> capacities = fixture.storeMetric("block-cache-capacity");
        assertThat(capacities).containsOnlyKeys("qrnn-key-state", "qrnn-pending");
        assertThat(capacities.values()).containsOnly((double) TopologyFixture.ROCKSDB_BYTES);
        assertThat(fixture.classifications.readValuesToList()).hasSize(6);
    }

    @Test
    void shouldStepABufferWhoseOldestRecordWaitedTheMaximumLatency() {
        fixture = new TopologyFixture(TopologySettings.defaults().withMaxBatchLatency(Duration.ofMillis(20)),
                CATALOG, stateDir);
        fixture.send("key", "a superb film.");
        fixture.advance(Duration.ofMillis(10));
        assertThat(fixture.classifications.isEmpty()).isTrue();

        fixture.advance(Duration.ofMillis(10));

        Classification output = fixture.classifications.readValue();
        assertThat(output.getProcessingLatencyMicros()).isEqualTo(20_000);
    }

    @Test
    void shouldApplyAKeysRecordsInArrivalOrderWhenSeveralShareABatch() {
        fixture = new TopologyFixture(TopologySettings.defaults().withMaxBatchRecords(5), CATALOG, stateDir);
        List<String> messages = List.of("the story was really moving", "and the acting superb,", "but the music was",
                "quite boring.");
        fixture.send("a", messages.get(0));
        fixture.send("b", "an awful film.");
        fixture.send("a", messages.get(1));
        fixture.send("a", messages.get(2));
        fixture.send("a", messages.get(3));

        List<Classification> forA = fixture.classifications.readValuesToList().stream()
                .filter(c -> c.getKey().equals("a")).toList();
        List<InputRows> rows = new ArrayList<>();
        for (int m = 0; m < messages.size(); m++) {
            rows.add(MODEL.rows(messages.get(m)));
            assertThat(forA.get(m).getTokensSeen()).isEqualTo(InputRows.concat(rows).tokens());
            assertThat(forA.get(m).getScores().get("positive"))
                    .isCloseTo(offline(rows).probabilities()[1], within(1e-5f));
        }
    }

    @Test
    void shouldStartFromTheInitialStateWhenAnEventResetsTheKey() {
        fixture = new TopologyFixture(TopologySettings.defaults().withMaxBatchRecords(1), CATALOG, stateDir);
        fixture.send("key", "a superb and moving film.");
        fixture.send("key", fixture.event("an awful film.").setResetState(true).build());

        List<Classification> outputs = fixture.classifications.readValuesToList();
        InputRows fresh = MODEL.rows("an awful film.");
        assertThat(outputs.get(1).getTokensSeen()).isEqualTo(fresh.tokens());
        assertThat(outputs.get(1).getScores().get("positive"))
                .isCloseTo(offline(List.of(fresh)).probabilities()[1], within(1e-5f));
    }

    @Test
    void shouldForgetTheKeyAfterTheEndOfASegment() {
        fixture = new TopologyFixture(TopologySettings.defaults().withMaxBatchRecords(1), CATALOG, stateDir);
        fixture.send("key", fixture.event("a superb film.").setEndOfSegment(true).build());
        assertThat(stateStore().approximateNumEntries()).isZero();

        fixture.send("key", "an awful film.");

        List<Classification> outputs = fixture.classifications.readValuesToList();
        assertThat(outputs.get(0).getTokensSeen()).isEqualTo(MODEL.rows("a superb film.").tokens());
        assertThat(outputs.get(1).getTokensSeen()).isEqualTo(MODEL.rows("an awful film.").tokens());
    }

    @Test
    void shouldDropTheStateOfKeysIdleLongerThanTheTimeout() {
        TopologySettings settings = TopologySettings.defaults().withMaxBatchRecords(1)
                .withExpiry(Duration.ofMinutes(30), Duration.ofMinutes(1));
        fixture = new TopologyFixture(settings, CATALOG, stateDir);
        fixture.send("idle", "a superb film.");
        fixture.advance(Duration.ofMinutes(20));
        fixture.send("busy", "a superb film.");
        fixture.advance(Duration.ofMinutes(15));

        assertThat(storedKeys()).containsExactly("busy");
        assertThat(metric("expired-keys-total")).isEqualTo(1.0);
        fixture.send("idle", "an awful film.");
        assertThat(fixture.classifications.readValuesToList()).last()
                .extracting(Classification::getTokensSeen).isEqualTo((long) MODEL.rows("an awful film.").tokens());
    }

    @Test
    void shouldResetAKeyWhoseStateWasWrittenByAnotherModelVersion() {
        fixture = new TopologyFixture(TopologySettings.defaults().withMaxBatchRecords(1), CATALOG, stateDir);
        QrnnState old = offline(List.of(MODEL.rows("a superb film."))).state();
        stateStore().put(KeyStateStore.storeKey("sentiment", "key".getBytes(StandardCharsets.UTF_8)),
                encode(KeyState.newBuilder().setModelName("sentiment").setModelVersion("0").setUpdatedAt(fixture.clock.instant())
                        .setQrnnState(ByteBuffer.wrap(new QrnnStateCodec(QrnnStateCodec.Precision.FLOAT32).encode(old)))
                        .build()));

        fixture.send("key", "an awful film.");

        assertThat(fixture.classifications.readValue().getTokensSeen())
                .isEqualTo(MODEL.rows("an awful film.").tokens());
        assertThat(metric("state-resets-total")).isEqualTo(1.0);
    }

    @Test
    void shouldKeepSeparateStatesPerModelAndRouteByTheEventsModelName() {
        ModelCatalog two = ModelCatalog.builder().classifier("sentiment", MODEL)
                .classifier("sentiment-v2", TrainedTestModel.classifier("2")).defaultModel("sentiment").build();
        fixture = new TopologyFixture(TopologySettings.defaults().withMaxBatchRecords(1), two, stateDir);
        fixture.send("key", "a superb film.");
        fixture.send("key", fixture.event("an awful film.").setModel("sentiment-v2").build());

        List<Classification> outputs = fixture.classifications.readValuesToList();
        assertThat(outputs).extracting(Classification::getModelName).containsExactly("sentiment", "sentiment-v2");
        assertThat(outputs).extracting(Classification::getModelVersion).containsExactly("1", "2");
        assertThat(outputs.get(1).getTokensSeen()).isEqualTo(MODEL.rows("an awful film.").tokens());
        assertThat(storedKeys()).containsExactlyInAnyOrder("key", "key");
    }

    private StreamingClassifier.Prediction offline(List<InputRows> rows) {
        return offline(MODEL, rows);
    }

    private StreamingClassifier.Prediction offline(StreamingClassifier model, List<InputRows> rows) {
        try (CpuBackend backend = CpuBackend.vectorised()) {
            return model.advance(backend, List.of(model.initialState()), List.of(InputRows.concat(rows))).get(0);
        }
    }

    /** Cuts {@code text} at 1 to 5 random word boundaries; a message boundary is a token boundary. */
    private static List<String> randomSplit(String text, SplittableRandom random) {
        String[] words = text.split(" ");
        List<String> messages = new ArrayList<>();
        int from = 0;
        while (from < words.length) {
            int to = Math.min(words.length, from + random.nextInt(1, 8));
            messages.add(String.join(" ", Arrays.copyOfRange(words, from, to)));
            from = to;
        }
        return messages;
    }

    private KeyValueStore<Bytes, byte[]> stateStore() {
        return fixture.driver.getKeyValueStore(QrnnProcessor.STATE_STORE);
    }

    private List<String> storedKeys() {
        List<String> keys = new ArrayList<>();
        try (var all = stateStore().all()) {
            all.forEachRemaining(entry -> {
                byte[] bytes = entry.key.get();
                int zero = 0;
                while (bytes[zero] != 0) {
                    zero++;
                }
                keys.add(new String(bytes, zero + 1, bytes.length - zero - 1, StandardCharsets.UTF_8));
            });
        }
        return keys;
    }

    private double metric(String name) {
        return fixture.driver.metrics().entrySet().stream()
                .filter(entry -> entry.getKey().group().equals(ProcessorMetrics.GROUP)
                        && entry.getKey().name().equals(name))
                .mapToDouble(entry -> ((Number) entry.getValue().metricValue()).doubleValue()).sum();
    }

    private static byte[] encode(KeyState state) {
        try {
            return state.toByteBuffer().array();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
