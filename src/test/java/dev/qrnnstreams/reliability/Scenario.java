package dev.qrnnstreams.reliability;

import dev.qrnnstreams.streams.QrnnService;
import dev.qrnnstreams.streams.ServiceConfig;
import dev.qrnnstreams.streams.TrainedTestModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * One scenario's own topics, application id and model, the settings of its service instances, and the
 * uninterrupted reference run it is compared with. The model is the small classifier the tests train
 * ({@link TrainedTestModel}), fast enough that the suite measures the service, not the model.
 */
final class Scenario {
    /** Partitions of every topic of a scenario. */
    static final int PARTITIONS = 3;
    private final Cluster cluster;
    private final String name;
    private final Path work;
    private final Path bundle;

    private Scenario(Cluster cluster, String name, Path work) {
        this.cluster = cluster;
        this.name = name;
        this.work = work;
        this.bundle = work.resolve("model");
    }

    /** Creates the scenario's topics (input, outputs and dead letters, and the reference run's) and model. */
    static Scenario create(Cluster cluster, String name, Path work) {
        Scenario scenario = new Scenario(cluster, name, work);
        try {
            TrainedTestModel.bundle().write(scenario.bundle);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> config = new HashMap<>(cluster.clientSecurity());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            admin.createTopics(List.of("in", "out", "dlq", "translations", "ref-out", "ref-dlq", "ref-translations")
                    .stream().map(topic -> new NewTopic(name + "-" + topic, PARTITIONS, (short) 1)).toList())
                    .all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("creating the topics of " + name + " failed", e);
        }
        return scenario;
    }

    String inputTopic() {
        return name + "-in";
    }

    String name() {
        return name;
    }

    Cluster cluster() {
        return cluster;
    }

    Path work() {
        return work;
    }

    /**
     * The settings of an instance: static membership under {@code instanceId}, or under the id derived
     * from the host name and {@code stateDir} when it is null.
     */
    Map<String, String> settings(String instanceId, Path stateDir, int metricsPort) {
        return settings("", instanceId, stateDir, metricsPort);
    }

    private Map<String, String> settings(String outputs, String instanceId, Path stateDir, int metricsPort) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bootstrap.servers", cluster.serviceBootstrapServers());
        settings.put("schema.registry.url", cluster.registryUrl());
        settings.putAll(cluster.serviceSecurity());
        settings.put("application.id", "rel-" + name + (outputs.isEmpty() ? "" : "-reference"));
        settings.put("state.dir", stateDir.toString());
        settings.put("qrnn.models", "sentiment=" + bundle);
        settings.put("qrnn.default.model", "sentiment");
        settings.put("qrnn.backend", "cpu");
        settings.put("qrnn.input.topic", inputTopic());
        settings.put("qrnn.classifications.topic", name + "-" + outputs + "out");
        settings.put("qrnn.translations.topic", name + "-" + outputs + "translations");
        settings.put("qrnn.dlq.topic", name + "-" + outputs + "dlq");
        settings.put("qrnn.metrics.port", String.valueOf(metricsPort));
        if (instanceId != null) {
            settings.put("group.instance.id", instanceId);
        }
        return settings;
    }

    /** Starts instance {@code instanceId} (static member) with state in {@code state-<instanceId>}. */
    ServiceInstance start(String instanceId) {
        return start(instanceId, settings(instanceId, stateDir(instanceId), FreePorts.one()));
    }

    /** Starts an instance named {@code instance} with {@code settings}, logging to {@code <instance>.log}. */
    ServiceInstance start(String instance, Map<String, String> settings) {
        return ServiceInstance.start(name + "-" + instance, settings, "512m", work.resolve(instance + ".log"));
    }

    /** The state directory of instance {@code instanceId}. */
    Path stateDir(String instanceId) {
        return work.resolve("state-" + instanceId);
    }

    /** Deletes the state directory of {@code instanceId}, as a replaced machine or pod would have none. */
    void wipeState(String instanceId) {
        try (java.util.stream.Stream<Path> paths = Files.walk(stateDir(instanceId))) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (java.nio.file.NoSuchFileException absent) {
            // nothing to wipe
        } catch (IOException e) {
            throw new UncheckedIOException("wiping " + stateDir(instanceId) + " failed", e);
        }
    }

    /** Bytes of the files under the state directory of {@code instanceId}. */
    long stateBytes(String instanceId) {
        try (java.util.stream.Stream<Path> paths = Files.walk(stateDir(instanceId))) {
            return paths.filter(Files::isRegularFile).mapToLong(path -> {
                try {
                    return Files.size(path);
                } catch (IOException vanished) {
                    return 0;
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    /** Starts reading what the scenario's instances commit. */
    Ledger ledger() {
        return Ledger.start(cluster.bootstrapServers(), cluster.clientSecurity(), name + "-out", name + "-dlq",
                cluster.registry());
    }

    /**
     * Runs the service uninterrupted, in this JVM, over the scenario's input into its own topics, until all
     * {@code workload} came out or {@code timeout} passed; returns what it committed.
     */
    Ledger runReference(Workload workload, Duration timeout) throws Exception {
        Path stateDir = Files.createDirectories(work.resolve("state-reference"));
        Ledger reference = Ledger.start(cluster.bootstrapServers(), cluster.clientSecurity(), name + "-ref-out",
                name + "-ref-dlq", cluster.registry());
        try (QrnnService service = QrnnService.start(ServiceConfig.load(Optional.empty(), Map.of(),
                settings("ref-", null, stateDir, -1)))) {
            if (!reference.awaitDistinct(workload.size(), timeout)) {
                throw new IllegalStateException("the reference run of " + name + " gave only "
                        + reference.counts().size() + " of " + workload.size() + " within " + timeout);
            }
        }
        return reference;
    }
}
