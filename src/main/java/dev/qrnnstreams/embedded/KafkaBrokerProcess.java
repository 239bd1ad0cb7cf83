package dev.qrnnstreams.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The same single-node KRaft cluster as {@link EmbeddedKafka}, run as a separate JVM
 * ({@code kafka.Kafka server.properties}) on this JVM's class path, so that a test can stop it, kill it
 * and start it again on the same ports and log: a broker restart as clients see one.
 *
 * <p>Lifecycle: {@link #start()} formats a fresh log directory and starts the broker;
 * {@link #stop()} (SIGTERM, a controlled shutdown) or {@link #kill()} (SIGKILL) ends the process and
 * {@link #restart()} starts it again; {@link #close()} stops it and deletes the directory. The broker's
 * output goes to {@link #logFile()}. Not thread-safe: one thread drives it.
 */
public final class KafkaBrokerProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokerProcess.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseSerialGC");

    private final Path directory;
    private final Path properties;
    private final Path logFile;
    private final String bootstrapServers;
    private Process process;

    private KafkaBrokerProcess(Path directory, Path properties, String bootstrapServers) {
        this.directory = directory;
        this.properties = properties;
        this.logFile = directory.resolve("broker.log");
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Formats a fresh log directory, starts the broker process, and waits until it serves requests.
     *
     * @throws IllegalStateException if it cannot be formatted or started, or does not answer within a minute
     */
    public static KafkaBrokerProcess start() {
        Path directory = Directories.createTemporary("qrnn-kafka-process-");
        int[] ports = LoopbackPorts.free(2);
        SingleNodeKraftConfig config = new SingleNodeKraftConfig(directory.resolve("log"), ports[0], ports[1]);
        KafkaBrokerProcess broker = new KafkaBrokerProcess(directory, directory.resolve("server.properties"),
                config.bootstrapServers());
        EmbeddedKafka.format(config, broker.properties, List.of());
        broker.restart();
        return broker;
    }

    /** The {@code bootstrap.servers} value for clients, the same across restarts. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The file that receives the broker's output, appended to across restarts. */
    public Path logFile() {
        return logFile;
    }

    /** Whether the broker process is running. */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Starts the broker process (again) on the same ports and log, and waits until it serves requests.
     *
     * @throws IllegalStateException if it is running, or does not answer within a minute
     */
    public void restart() {
        if (isRunning()) {
            throw new IllegalStateException("the broker at " + bootstrapServers + " is running");
        }
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "kafka.Kafka", properties.toString()));
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the broker process", e);
        }
        long startNanos = System.nanoTime();
        EmbeddedKafka.awaitBroker(bootstrapServers);
        LOG.info("Kafka broker process (pid {}) ready at {} in {} ms", process.pid(), bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    /** Stops the broker with SIGTERM (a controlled shutdown) and waits for it; returns its exit status. */
    public int stop() {
        return end(false);
    }

    /** Kills the broker with SIGKILL, as a crashed machine would, and waits for it; returns its exit status. */
    public int kill() {
        return end(true);
    }

    private int end(boolean forcibly) {
        if (process == null) {
            return 0;
        }
        if (forcibly) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Kafka broker process (pid {}) did not stop within {}; killing it", process.pid(), STOP_TIMEOUT);
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        return process.exitValue();
    }

    /** Stops the broker and deletes its directory. */
    @Override
    public void close() {
        stop();
        Directories.deleteRecursively(directory);
    }
}
