package dev.qrnnstreams.streams;

import dev.qrnnstreams.inference.InputRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qrnnstreams.embedded.EmbeddedKafka;
import dev.qrnnstreams.embedded.EmbeddedSchemaRegistry;
import dev.qrnnstreams.inference.StreamingClassifier;
import dev.qrnnstreams.nn.cpu.AdaptiveBackend;
import dev.qrnnstreams.nn.cpu.CpuBackend;
import dev.qrnnstreams.nn.QrnnStateCodec;
import dev.qrnnstreams.streams.serde.ConfluentSchemaRegistry;
import dev.qrnnstreams.train.LabelledText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topics are usable by the rest of the Kafka ecosystem: an independent Confluent client, Debian's
 * {@code python3-confluent-kafka} (librdkafka) with {@code python3-avro}, produces {@code TextEvent}s in the
 * Confluent wire format, registering the schema in the same registry under {@code <topic>-value}, and
 * reads the service's classifications and a dead letter back with {@code read_committed}, decoding
 * through the registry ({@code src/test/python/interop_client.py}). Skipped where no Python interpreter
 * can import those packages.
 */
class ConfluentPythonClientIT {
    /** Names the interpreter to use instead of searching {@code /usr/bin/python3} and {@code python3}. */
    static final String PYTHON_PROPERTY = "qrnn.python";
    static final String INSTALL = "apt-get install python3-confluent-kafka python3-avro python3-requests";
    private static final Path SCRIPT = Path.of("src/test/python/interop_client.py");
    private static final Path TEXT_EVENT_SCHEMA = Path.of("schemas/TextEvent.avsc");
    private static final Duration CLIENT_DEADLINE = Duration.ofSeconds(120);
    private static final Duration PROBE_DEADLINE = Duration.ofSeconds(30);
    private static final int KEYS = 6;
    private static final int MESSAGES_PER_KEY = 5;
    private static final String BAD_KEY = "python-bad";
    private static final String BAD_EVENT = "python-empty-text";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(ConfluentPythonClientIT.class);
    private static EmbeddedKafka kafka;
    private static EmbeddedSchemaRegistry server;
    private static ConfluentSchemaRegistry registry;
    private static String python;
    @TempDir
    Path work;

    @BeforeAll
    static void start() {
        python = confluentPython().orElse(null);
        if (python == null) {
            LOG.warn("ConfluentPythonClientIT is skipped: {}", missingClientMessage());
            return;
        }
        kafka = EmbeddedKafka.start();
        server = EmbeddedSchemaRegistry.start();
        registry = ConfluentSchemaRegistry.connect(List.of(server.url()), Map.of());
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
            server.close();
            kafka.close();
        }
    }

    @Test
    void shouldServeAnIndependentConfluentClientThroughTheSameRegistry() throws Exception {
        Assumptions.assumeTrue(python != null, ConfluentPythonClientIT::missingClientMessage);
        String run = "interop-" + System.nanoTime();
        TopologySettings settings = new TopologySettings(run + "-in", run + "-classifications",
                run + "-translations", run + "-dlq", 8, Duration.ofMillis(20), ServiceConfig.defaults().recordLimits(),
                Duration.ofDays(1), Duration.ofMinutes(1), QrnnStateCodec.Precision.FLOAT32,
                ServiceConfig.defaults().translationSegmentMaxTokens(),
                ServiceConfig.defaults().earlyCommits());
        StreamsItSupport.createTopics(kafka.bootstrapServers(), 3, settings.inputTopic(),
                settings.classificationsTopic(), settings.translationsTopic(), settings.deadLetterTopic());
        StreamingClassifier model = TrainedTestModel.classifier("1");
        List<Event> events = events();
        Path eventsFile = work.resolve("events.jsonl");
        Files.write(eventsFile, events.stream().map(ConfluentPythonClientIT::json).toList(), StandardCharsets.UTF_8);

        List<JsonNode> lines;
        try (QrnnService service = QrnnService.start(QrnnTopology.build(settings,
                StreamSerdes.avro(registry, true), ModelCatalog.builder().classifier("sentiment", model)
                        .defaultModel("sentiment").build(), AdaptiveBackend::cpu, new DeadLetterCounter()),
                StreamsItSupport.streamsProperties(kafka.bootstrapServers(), run, work.resolve("state").toString()))) {
            lines = runClient(settings, eventsFile, events.size() - 1);
        }

        List<JsonNode> produced = ofType(lines, "produced");
        assertThat(produced).extracting(line -> line.get("eventId").asText())
                .containsExactlyInAnyOrderElementsOf(events.stream().map(Event::eventId).toList());
        int schemaId = produced.get(0).get("schemaId").asInt();
        assertThat(produced).allSatisfy(line -> assertThat(line.get("schemaId").asInt()).isEqualTo(schemaId));
        Schema textEvent = new Schema.Parser().parse(TEXT_EVENT_SCHEMA.toFile());
        assertThat(registry.schema(schemaId)).as("the schema the Python client registered").isEqualTo(textEvent);
        List<JsonNode> subjects = ofType(lines, "subject");
        assertThat(subjects).hasSize(1);
        assertThat(subjects.get(0).get("subject").asText()).isEqualTo(settings.inputTopic() + "-value");
        assertThat(subjects.get(0).get("schemaId").asInt()).as("latest id under the subject").isEqualTo(schemaId);

        assertClassifications(model, events, ofType(lines, "classification"));
        List<JsonNode> letters = ofType(lines, "deadLetter");
        assertThat(letters).hasSize(1);
        JsonNode letter = letters.get(0);
        assertThat(letter.get("errorKind").asText()).isEqualTo("EMPTY_TEXT");
        assertThat(letter.get("originalTopic").asText()).isEqualTo(settings.inputTopic());
        assertThat(letter.get("recordKey").asText()).isEqualTo(BAD_KEY);
        assertThat(letter.get("originalEventId").asText()).as("the dead letter's raw value, decoded in Python")
                .isEqualTo(BAD_EVENT);
    }

    /**
     * Each input, in the order the client produced it, has one output that counts its key's tokens so far
     * and matches an offline run.
     */
    private static void assertClassifications(StreamingClassifier model, List<Event> events,
                                              List<JsonNode> classifications) {
        Map<String, JsonNode> byEvent = new HashMap<>();
        classifications.forEach(line -> assertThat(byEvent.put(line.get("eventId").asText(), line))
                .as("output for %s", line.get("eventId")).isNull());
        List<Event> good = events.stream().filter(event -> !event.eventId().equals(BAD_EVENT)).toList();
        assertThat(byEvent.keySet()).containsExactlyInAnyOrderElementsOf(good.stream().map(Event::eventId).toList());

        Map<String, List<InputRows>> rowsByKey = new HashMap<>();
        Map<String, Long> lastSeenByKey = new HashMap<>();
        try (CpuBackend backend = CpuBackend.vectorised()) {
            for (Event event : good) {
                JsonNode output = byEvent.get(event.eventId());
                List<InputRows> rows = rowsByKey.computeIfAbsent(event.key(), k -> new ArrayList<>());
                rows.add(model.rows(event.text()));
                float[] offline = model.advance(backend, List.of(model.initialState()),
                        List.of(InputRows.concat(rows))).get(0).probabilities();
                assertThat(output.get("recordKey").asText()).isEqualTo(event.key());
                assertThat(output.get("key").asText()).isEqualTo(event.key());
                assertThat(output.get("modelName").asText()).isEqualTo("sentiment");
                assertThat(output.get("modelVersion").asText()).isEqualTo("1");
                long seen = output.get("tokensSeen").asLong();
                assertThat(seen).as("tokens seen after %s", event.eventId()).isEqualTo(InputRows.concat(rows).tokens())
                        .isGreaterThan(lastSeenByKey.getOrDefault(event.key(), 0L));
                lastSeenByKey.put(event.key(), seen);
                JsonNode scores = output.get("scores");
                assertThat(fieldNames(scores)).containsExactlyInAnyOrderElementsOf(TrainedTestModel.LABELS);
                for (int c = 0; c < offline.length; c++) {
                    assertThat(scores.get(TrainedTestModel.LABELS.get(c)).asDouble())
                            .as("%s score of %s", TrainedTestModel.LABELS.get(c), event.eventId())
                            .isCloseTo(offline[c], within(1e-5));
                }
                String best = offline[1] > offline[0] ? "positive" : "negative";
                assertThat(output.get("label").asText()).as("label of %s", event.eventId()).isEqualTo(best);
            }
        }
    }

    private List<JsonNode> runClient(TopologySettings settings, Path eventsFile, int expectedClassifications)
            throws IOException, InterruptedException {
        Path stdout = work.resolve("client.out");
        Path stderr = work.resolve("client.err");
        List<String> command = List.of(python, SCRIPT.toAbsolutePath().toString(),
                "--bootstrap-servers", kafka.bootstrapServers(), "--registry-url", server.url(),
                "--schema", TEXT_EVENT_SCHEMA.toAbsolutePath().toString(), "--events", eventsFile.toString(),
                "--input-topic", settings.inputTopic(), "--classifications-topic", settings.classificationsTopic(),
                "--dead-letter-topic", settings.deadLetterTopic(),
                "--expect-classifications", Integer.toString(expectedClassifications), "--expect-dead-letters", "1",
                "--timeout", Long.toString(CLIENT_DEADLINE.toSeconds()));
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        boolean exited = process.waitFor(CLIENT_DEADLINE.plusSeconds(30).toSeconds(), TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        String err = Files.readString(stderr);
        String out = Files.readString(stdout);
        if (!exited || process.exitValue() != 0) {
            fail("the Python client %s (%s)%nstderr:%n%s%nstdout:%n%s", exited ? "exited with " + process.exitValue()
                    : "did not exit within its deadline", String.join(" ", command), err, out);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    /** {@code MESSAGES_PER_KEY} sentences for each key, round-robin, and one event with empty text. */
    private static List<Event> events() {
        List<LabelledText> sentences = TrainedTestModel.sentences(23, KEYS * MESSAGES_PER_KEY);
        List<Event> events = new ArrayList<>();
        int id = 0;
        for (int m = 0; m < MESSAGES_PER_KEY; m++) {
            for (int k = 0; k < KEYS; k++, id++) {
                events.add(new Event("python-key-" + k, "python-event-" + id, sentences.get(id).text()));
            }
            if (m == MESSAGES_PER_KEY / 2) {
                events.add(new Event(BAD_KEY, BAD_EVENT, ""));
            }
        }
        return events;
    }

    private static String json(Event event) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", event.key());
        fields.put("eventId", event.eventId());
        fields.put("text", event.text());
        try {
            return JSON.writeValueAsString(fields);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + event, e);
        }
    }

    private static List<JsonNode> ofType(List<JsonNode> lines, String type) {
        return lines.stream().filter(line -> type.equals(line.get("type").asText())).toList();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String missingClientMessage() {
        return "no Python interpreter with confluent_kafka.avro, avro and requests (tried "
                + String.join(", ", pythonCandidates()) + "): install Debian's packages with `" + INSTALL
                + "`, or name an interpreter that has them with -D" + PYTHON_PROPERTY + "=...";
    }

    private static List<String> pythonCandidates() {
        String named = System.getProperty(PYTHON_PROPERTY, "");
        return named.isBlank() ? List.of("/usr/bin/python3", "python3") : List.of(named);
    }

    /** The first candidate interpreter that imports the client's modules, if any. */
    private static Optional<String> confluentPython() {
        return pythonCandidates().stream().filter(ConfluentPythonClientIT::importsClientModules).findFirst();
    }

    private static boolean importsClientModules(String interpreter) {
        try {
            Process probe = new ProcessBuilder(interpreter, "-c", "import avro.io, requests, confluent_kafka.avro")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!probe.waitFor(PROBE_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                probe.destroyForcibly().waitFor();
                return false;
            }
            return probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private record Event(String key, String eventId, String text) {
    }
}
