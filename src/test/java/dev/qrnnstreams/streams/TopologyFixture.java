package dev.qrnnstreams.streams;

import dev.qrnnstreams.avro.Classification;
import dev.qrnnstreams.avro.DeadLetter;
import dev.qrnnstreams.avro.ErrorKind;
import dev.qrnnstreams.avro.TextEvent;
import dev.qrnnstreams.nn.cpu.CpuBackend;
import dev.qrnnstreams.nn.QrnnBackend;
import dev.qrnnstreams.streams.serde.AvroDeserializer;
import dev.qrnnstreams.streams.serde.AvroSerializer;
import dev.qrnnstreams.streams.serde.ConfluentSchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The topology under a {@link TopologyTestDriver} with an in-memory registry and a hand-moved clock. */
final class TopologyFixture implements AutoCloseable {
    final TopologySettings settings;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
    final ConfluentSchemaRegistry registry = ConfluentSchemaRegistry.inMemory();
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> input;
    final TestOutputTopic<String, Classification> classifications;
    final TestOutputTopic<byte[], DeadLetter> deadLetters;
    /** The configuration Kafka Streams configures the exception handlers with. */
    final Map<String, Object> handlerConfig;
    private final DeadLetterCounter deadLetterCounter = new DeadLetterCounter();
    private final AvroSerializer<TextEvent> events = new AvroSerializer<>(TextEvent.class, registry, false, true);
    private int eventCounter;

    /** The RocksDB budget the fixture's stores share, as the service's are shared. */
    static final long ROCKSDB_BYTES = 24L << 20;

    TopologyFixture(TopologySettings settings, ModelCatalog models, Path stateDir) {
        this(settings, models, stateDir, CpuBackend::vectorised);
    }

    TopologyFixture(TopologySettings settings, ModelCatalog models, Path stateDir, Supplier<QrnnBackend> backends) {
        this(settings, UnaryOperator.identity(), models, stateDir, backends);
    }

    /** The topology writing with the registry's Avro serdes as {@code change} changes them. */
    TopologyFixture(TopologySettings settings, UnaryOperator<StreamSerdes> change, ModelCatalog models, Path stateDir,
                    Supplier<QrnnBackend> backends) {
        this.settings = settings;
        StreamSerdes serdes = change.apply(StreamSerdes.avro(registry, true));
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "qrnn-topology-test");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        properties.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, SharedRocksDbMemory.class.getName());
        properties.put(ServiceConfig.ROCKSDB_MEMORY_BYTES_CONFIG, Long.toString(ROCKSDB_BYTES));
        properties.putAll(QrnnService.deadLetterHandlers(new DeadLetterWriter(settings.deadLetterTopic(),
                settings.limits().deadLetterRawBytes(), serdes.deadLetters(), clock), deadLetterCounter));
        driver = new TopologyTestDriver(QrnnTopology.build(settings, serdes, models, backends, deadLetterCounter,
                clock), properties, clock.instant());
        handlerConfig = new HashMap<>();
        properties.forEach((name, value) -> handlerConfig.put((String) name, value));
        input = driver.createInputTopic(settings.inputTopic(), new ByteArraySerializer(), new ByteArraySerializer());
        classifications = driver.createOutputTopic(settings.classificationsTopic(), new StringDeserializer(),
                new AvroDeserializer<>(Classification.class, registry));
        deadLetters = driver.createOutputTopic(settings.deadLetterTopic(), new ByteArrayDeserializer(),
                new AvroDeserializer<>(DeadLetter.class, registry));
    }

    /** A plain event carrying {@code text}. */
    TextEvent.Builder event(String text) {
        return TextEvent.newBuilder().setEventId("e" + eventCounter++).setText(text).setEventTime(clock.instant())
                .setModel(null).setResetState(false).setEndOfSegment(false);
    }

    void send(String key, TextEvent event) {
        sendRaw(key.getBytes(StandardCharsets.UTF_8), encode(event));
    }

    void send(String key, String text) {
        send(key, event(text).build());
    }

    void sendRaw(byte[] key, byte[] value) {
        input.pipeInput(key, value);
    }

    byte[] encode(TextEvent event) {
        return events.serialize(settings.inputTopic(), event);
    }

    /** The sum of {@code dead-letters-total} of {@code kind} over every task. */
    double deadLetterCount(ErrorKind kind) {
        return driver.metrics().entrySet().stream()
                .filter(entry -> entry.getKey().name().equals("dead-letters-total")
                        && kind.name().equals(entry.getKey().tags().get("kind")))
                .mapToDouble(entry -> ((Number) entry.getValue().metricValue()).doubleValue()).sum();
    }

    /** The values of a Kafka Streams metric over every store that has it, by store name. */
    Map<String, Double> storeMetric(String name) {
        Map<String, Double> values = new java.util.TreeMap<>();
        driver.metrics().forEach((metricName, metric) -> {
            if (metricName.name().equals(name) && metricName.tags().containsKey("rocksdb-state-id")) {
                values.put(metricName.tags().get("rocksdb-state-id"),
                        ((Number) metric.metricValue()).doubleValue());
            }
        });
        return values;
    }

    /** Moves the clock and the driver's wall-clock time, firing due punctuations. */
    void advance(Duration duration) {
        clock.advance(duration);
        driver.advanceWallClockTime(duration);
    }

    @Override
    public void close() {
        driver.close();
    }
}
