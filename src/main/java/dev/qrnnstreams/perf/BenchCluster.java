package dev.qrnnstreams.perf;

import dev.qrnnstreams.embedded.Directories;
import dev.qrnnstreams.embedded.EmbeddedKafka;
import dev.qrnnstreams.embedded.EmbeddedSchemaRegistry;
import dev.qrnnstreams.streams.QrnnService;
import dev.qrnnstreams.streams.ServiceConfig;
import dev.qrnnstreams.streams.StreamSerdes;
import dev.qrnnstreams.streams.serde.ConfluentSchemaRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.common.Node;

/**
 * The embedded broker and registry of one harness run, and the service instances started against them:
 * each instance gets its topics, its own state directory, and the service's default settings except
 * those a measurement overrides. Closing stops everything and deletes the directories.
 *
 * <p>Confined to the harness thread.
 */
final class BenchCluster implements AutoCloseable {
    private static final Duration RUNNING_TIMEOUT = Duration.ofMinutes(2);
    private static final int PARTITIONS = 4;

    private final EmbeddedKafka kafka;
    private final EmbeddedSchemaRegistry registry;
    private final ConfluentSchemaRegistry client;
    private final Path stateRoot;
    private final Path model;

    private BenchCluster(EmbeddedKafka kafka, EmbeddedSchemaRegistry registry, Path model) {
        this.kafka = kafka;
        this.registry = registry;
        this.client = ConfluentSchemaRegistry.connect(List.of(registry.url()), Map.of());
        this.stateRoot = Directories.createTemporary("qrnn-bench-state-");
        this.model = model;
    }

    /** Starts a broker in this JVM and the registry in {@code registryHome} as a child process. */
    static BenchCluster start(Path registryHome, Path model) {
        EmbeddedKafka kafka = EmbeddedKafka.start();
        try {
            return new BenchCluster(kafka, EmbeddedSchemaRegistry.start(registryHome), model);
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    ConfluentSchemaRegistry registry() {
        return client;
    }

    /** Creates {@code topics} with the harness's partition count (the input topic's caps the parallelism). */
    void createTopics(String... topics) {
        kafka.createTopics(PARTITIONS, topics);
    }

    /** The input topic's partition count. */
    static int partitions() {
        return PARTITIONS;
    }

    /**
     * The service's settings for application {@code app} reading {@code input} and writing classifications
     * to {@code output}, state in {@code stateDirectory}, and {@code overrides} on top of the defaults.
     */
    ServiceConfig config(String app, String input, String output, Path stateDirectory, Map<String, String> overrides) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(ServiceConfig.APPLICATION_ID_CONFIG, app);
        values.put(ServiceConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        values.put(ServiceConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url());
        values.put(ServiceConfig.STATE_DIR_CONFIG, stateDirectory.toString());
        values.put(ServiceConfig.MODELS_CONFIG, Feeder.model() + "=" + model);
        values.put(ServiceConfig.DEFAULT_MODEL_CONFIG, Feeder.model());
        values.put(ServiceConfig.METRICS_PORT_CONFIG, String.valueOf(ServiceConfig.METRICS_DISABLED));
        values.put(ServiceConfig.INPUT_TOPIC_CONFIG, input);
        values.put(ServiceConfig.CLASSIFICATIONS_TOPIC_CONFIG, output);
        values.put(ServiceConfig.TRANSLATIONS_TOPIC_CONFIG, app + "-translations");
        values.put(ServiceConfig.DLQ_TOPIC_CONFIG, app + "-dlq");
        values.put(ServiceConfig.BACKEND_CONFIG, OfflineBench.BACKEND.name().toLowerCase(Locale.ROOT));
        values.put("replication.factor", "1");
        values.putAll(overrides);
        return ServiceConfig.load(Optional.empty(), Map.of(), values);
    }

    /** A fresh state directory under the run's temporary folder. */
    Path stateDirectory(String name) {
        return stateRoot.resolve(name);
    }

    /** Starts the service with {@code config}, or the identity topology with its Kafka settings. */
    QrnnService start(ServiceConfig config, boolean identity) throws IOException {
        if (!identity) {
            return QrnnService.start(config);
        }
        StreamSerdes serdes = StreamSerdes.avro(client, true);
        return QrnnService.start(IdentityTopology.build(config.inputTopic(), config.classificationsTopic(), serdes),
                config.streamsProperties());
    }

    /** Waits until {@code service} runs; closes it and throws if it does not within two minutes. */
    static QrnnService awaitRunning(QrnnService service) throws InterruptedException {
        if (!service.awaitRunning(RUNNING_TIMEOUT)) {
            service.close();
            throw new IllegalStateException("a service instance did not reach RUNNING within " + RUNNING_TIMEOUT);
        }
        return service;
    }

    /** The bytes on the broker's disk of every partition of {@code topic}. */
    long topicBytes(String topic) throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(Node::id).toList();
            long bytes = 0;
            for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers).allDescriptions().get().values()) {
                for (LogDirDescription dir : dirs.values()) {
                    bytes += dir.replicaInfos().entrySet().stream()
                            .filter(replica -> replica.getKey().topic().equals(topic))
                            .mapToLong(replica -> replica.getValue().size()).sum();
                }
            }
            return bytes;
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not read the size of " + topic, e);
        }
    }

    /** Closes the registry client, the registry and the broker, and deletes the state directories. */
    @Override
    public void close() {
        client.close();
        registry.close();
        kafka.close();
        Directories.deleteRecursively(stateRoot);
    }
}
