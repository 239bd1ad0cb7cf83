package dev.qrnnstreams.embedded;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka cluster inside this JVM: one KRaft node that is both broker and controller,
 * bound to 127.0.0.1 on free ports, with its log in a fresh temporary directory. Consumer groups and
 * transactions (and so Kafka Streams' {@code exactly_once_v2}) work against it.
 *
 * <p>Lifecycle: {@link #start()} formats the log directory, starts the node and returns once the broker
 * answers an admin request (a few seconds); {@link #close()} shuts the node down and deletes the
 * directory. An instance runs once; start a new one to start again.
 *
 * <p>Threading: {@link #bootstrapServers()} and {@link #createTopics} may be called from any thread while
 * the cluster runs; {@link #close()} is called from one thread, after the clients using the cluster are
 * closed.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);
    private static final short REPLICATION_FACTOR = 1;

    private final KafkaRaftServer server;
    private final Path directory;
    private final String bootstrapServers;
    private final String secureBootstrapServers;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, Path directory, String bootstrapServers,
                          String secureBootstrapServers) {
        this.server = server;
        this.directory = directory;
        this.bootstrapServers = bootstrapServers;
        this.secureBootstrapServers = secureBootstrapServers;
    }

    /**
     * Starts a fresh cluster and waits until its broker serves requests.
     *
     * @throws IllegalStateException if the node cannot be formatted or started, or its broker does not
     *     answer within a minute; nothing is left running or on disk then
     */
    public static EmbeddedKafka start() {
        return start(null);
    }

    /**
     * Starts a fresh cluster as {@link #start()} does, with one more listener that requires TLS and
     * SASL/SCRAM, for clients that must authenticate; its user is created when the log is formatted.
     * {@link #bootstrapServers()} stays the plain-text listener (for the test's own admin work);
     * {@link #secureBootstrapServers()} is the secured one.
     *
     * @throws IllegalStateException as {@link #start()}
     */
    public static EmbeddedKafka startWithSaslSsl(SaslSslListener listener) {
        return start(listener);
    }

    private static EmbeddedKafka start(SaslSslListener secure) {
        long startNanos = System.nanoTime();
        Path directory = Directories.createTemporary("qrnn-kafka-");
        KafkaRaftServer server = null;
        try {
            int[] ports = LoopbackPorts.free(3);
            SingleNodeKraftConfig config = new SingleNodeKraftConfig(directory.resolve("log"), ports[0], ports[1]);
            List<String> formatArguments = List.of();
            if (secure != null) {
                config = config.withSaslSslListener(ports[2], secure);
                formatArguments = List.of("--add-scram", secure.scramCredential());
            }
            format(config, directory.resolve("server.properties"), formatArguments);
            server = new KafkaRaftServer(new KafkaConfig(config.settings(), false), Time.SYSTEM);
            server.startup();
            EmbeddedKafka kafka = new EmbeddedKafka(server, directory, config.bootstrapServers(),
                    secure == null ? null : LoopbackPorts.HOST + ":" + ports[2]);
            kafka.awaitBroker();
            LOG.info("Embedded Kafka ready at {} in {} ms (log in {})", kafka.bootstrapServers,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), directory);
            return kafka;
        } catch (RuntimeException e) {
            IllegalStateException failure = new IllegalStateException("embedded Kafka failed to start: "
                    + e.getMessage(), e);
            try {
                if (server != null) {
                    server.shutdown();
                    server.awaitShutdown();
                }
                Directories.deleteRecursively(directory);
            } catch (RuntimeException cleanupFailure) {
                failure.addSuppressed(cleanupFailure);
            }
            throw failure;
        }
    }

    /** The {@code bootstrap.servers} value for clients of this cluster, {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * The {@code bootstrap.servers} of the SASL_SSL listener of a cluster started by
     * {@link #startWithSaslSsl}.
     *
     * @throws IllegalStateException if this cluster has no such listener
     */
    public String secureBootstrapServers() {
        if (secureBootstrapServers == null) {
            throw new IllegalStateException("this cluster was started without a SASL_SSL listener");
        }
        return secureBootstrapServers;
    }

    /**
     * Creates topics with {@code partitions} partitions each and replication factor 1, waiting until the
     * broker has created them.
     *
     * @throws IllegalStateException if a topic exists already or the broker does not create them within
     *     a minute
     */
    public void createTopics(int partitions, String... names) {
        Topics.create(bootstrapServers, partitions, ADMIN_TIMEOUT, names);
    }

    /** Shuts the node down, waits for it, and deletes its log directory; a second call does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long startNanos = System.nanoTime();
        server.shutdown();
        server.awaitShutdown();
        Directories.deleteRecursively(directory);
        LOG.info("Embedded Kafka at {} stopped in {} ms", bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    /** The node's temporary directory, its settings and its log; {@link #close()} deletes it. */
    public Path directory() {
        return directory;
    }

    /** Writes {@code config} to {@code propertiesFile} and formats the log directory it names. */
    static void format(SingleNodeKraftConfig config, Path propertiesFile, List<String> extraArguments) {
        config.writeTo(propertiesFile);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        List<String> command = new ArrayList<>(List.of("format", "--config", propertiesFile.toString(),
                "--cluster-id", Uuid.randomUuid().toString()));
        command.addAll(extraArguments);
        String[] arguments = command.toArray(String[]::new);
        int exitCode;
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = StorageTool.execute(arguments, printStream);
        }
        String report = output.toString(StandardCharsets.UTF_8).strip();
        if (exitCode != 0) {
            throw new IllegalStateException("formatting the log directory failed (" + exitCode + "): " + report);
        }
        LOG.debug("Formatted the embedded Kafka log: {}", report);
    }

    private void awaitBroker() {
        awaitBroker(bootstrapServers);
    }

    /** Waits up to a minute until the broker at {@code bootstrapServers} answers an admin request. */
    static void awaitBroker(String bootstrapServers) {
        try (Admin admin = admin(bootstrapServers)) {
            admin.describeCluster().nodes().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the broker at " + bootstrapServers + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker at " + bootstrapServers, e);
        }
    }

    private Admin admin() {
        return admin(bootstrapServers);
    }

    private static Admin admin(String bootstrapServers) {
        int timeoutMs = (int) ADMIN_TIMEOUT.toMillis();
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs));
    }
}
