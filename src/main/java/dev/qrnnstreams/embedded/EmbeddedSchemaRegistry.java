package dev.qrnnstreams.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real schema registry with the Confluent REST API: Apicurio Registry run as a child JVM from its
 * unpacked application (see {@link #HOME_PROPERTY}), bound to 127.0.0.1 on a free port, storing
 * schemas in memory or in a file ({@link RegistryStorage}), with the default compatibility set to
 * {@value #DEFAULT_COMPATIBILITY}. Clients use {@link #url()}, the base of its Confluent-compatible API.
 *
 * <p>Lifecycle: {@link #start()} launches the registry and returns once it is ready and configured
 * (seconds); {@link #stop()} ends the process with SIGTERM, as an operator stops a registry, and
 * {@link #restart()} starts it again on the same port and storage; {@link #close()} stops the process
 * and its descendants, waits for them, and deletes the registry's temporary directory (its storage
 * file with it). The child's output goes to {@link #logFile()} in that directory, appended to across
 * restarts, not to the console. Should the JVM exit without {@code close()}, a shutdown hook stops the
 * child.
 *
 * <p>Threading: the accessors may be called from any thread; {@link #stop()}, {@link #restart()} and
 * {@link #close()} are called from one thread, {@code close()} after the clients using the registry are
 * done (a second call does nothing).
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {
    /** The system property naming the directory of the unpacked Apicurio Registry application. */
    public static final String HOME_PROPERTY = "qrnn.apicurio.home";
    /** The compatibility level of subjects that set none: new schemas must read data written with the old. */
    public static final String DEFAULT_COMPATIBILITY = "BACKWARD";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
    private static final String CCOMPAT_PATH = "/apis/ccompat/v7";
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration READY_POLL = Duration.ofMillis(200);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final int LOG_LINES_ON_FAILURE = 40;
    /** A small heap, C1 only and the serial collector: about half the CPU time to start of the defaults. */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private final ApicurioDistribution distribution;
    private final RegistryStorage storage;
    private final Path directory;
    private final Path logFile;
    private final URI root;
    private final Thread stopOnJvmExit;
    private volatile Process process;
    private boolean closed;

    private EmbeddedSchemaRegistry(ApicurioDistribution distribution, RegistryStorage storage, Path directory,
                                   int port) {
        this.distribution = distribution;
        this.storage = storage;
        this.directory = directory;
        this.logFile = directory.resolve("apicurio-registry.log");
        this.root = URI.create("http://" + LoopbackPorts.HOST + ":" + port);
        this.stopOnJvmExit = new Thread(this::stopProcess, "embedded-schema-registry-stop");
        Runtime.getRuntime().addShutdownHook(stopOnJvmExit);
    }

    /**
     * Starts the application found in the directory named by the {@value #HOME_PROPERTY} system property,
     * storing schemas in memory.
     *
     * @throws IllegalStateException if the property is not set or names no application, or the registry
     *     does not become ready within two minutes (the message has the end of its log)
     */
    public static EmbeddedSchemaRegistry start() {
        return start(RegistryStorage.IN_MEMORY);
    }

    /**
     * Starts the application found in the directory named by the {@value #HOME_PROPERTY} system property,
     * storing schemas in {@code storage}.
     *
     * @throws IllegalStateException as {@link #start()}
     */
    public static EmbeddedSchemaRegistry start(RegistryStorage storage) {
        return start(ApicurioDistribution.fromSystemProperty(), storage);
    }

    /**
     * Starts the application unpacked in {@code apicurioHome}, storing schemas in memory.
     *
     * @throws IllegalStateException as {@link #start()}
     */
    public static EmbeddedSchemaRegistry start(Path apicurioHome) {
        return start(ApicurioDistribution.in(apicurioHome), RegistryStorage.IN_MEMORY);
    }

    private static EmbeddedSchemaRegistry start(ApicurioDistribution distribution, RegistryStorage storage) {
        Path directory = Directories.createTemporary("qrnn-schema-registry-");
        EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(distribution, storage, directory,
                LoopbackPorts.free(1)[0]);
        try {
            registry.launch();
        } catch (UncheckedIOException e) {
            Directories.deleteRecursively(directory);
            throw e;
        }
        return registry;
    }

    /** The base URL of the Confluent-compatible API, {@code http://127.0.0.1:<port>/apis/ccompat/v7}. */
    public String url() {
        return root + CCOMPAT_PATH;
    }

    /** The process id of the registry's JVM: the current one, a new one after {@link #restart()}. */
    public long pid() {
        return process.pid();
    }

    /** The file that receives the registry's standard output and error; deleted by {@link #close()}. */
    public Path logFile() {
        return logFile;
    }

    /** Whether the registry process is running. */
    public boolean isRunning() {
        return process.isAlive();
    }

    /**
     * Stops the registry process with SIGTERM (Quarkus shuts down gracefully), waits for it and its
     * descendants, and returns its exit status (143 after a graceful stop); the port and the storage stay
     * for {@link #restart()}. A process still running after 30 s is killed.
     */
    public int stop() {
        stopProcess();
        int exitStatus = process.exitValue();
        LOG.info("Embedded schema registry (pid {}) stopped with exit status {}", pid(), exitStatus);
        return exitStatus;
    }

    /**
     * Starts the registry process again on the same port and storage, and returns once it is ready and its
     * default compatibility is set: with {@link RegistryStorage#FILE} it serves the schemas and ids it
     * held, with {@link RegistryStorage#IN_MEMORY} it starts empty.
     *
     * @throws IllegalStateException if the registry is running or closed, or does not become ready within
     *     two minutes (the message has the end of its log; the process is stopped and its directory kept)
     */
    public void restart() {
        if (closed) {
            throw new IllegalStateException("the embedded schema registry at " + url() + " is closed");
        }
        if (isRunning()) {
            throw new IllegalStateException("the embedded schema registry at " + url() + " is running");
        }
        launch();
    }

    /** Stops the registry and its descendants, waits for them, and deletes its temporary directory. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long startNanos = System.nanoTime();
        removeShutdownHook();
        stopProcess();
        Directories.deleteRecursively(directory);
        LOG.info("Embedded schema registry (pid {}) stopped in {} ms", pid(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    /** Launches the registry process and waits until it is ready and configured. */
    private void launch() {
        long startNanos = System.nanoTime();
        List<String> command = command();
        try {
            process = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not launch " + String.join(" ", command), e);
        }
        try {
            RegistryAdminClient admin = new RegistryAdminClient(root, URI.create(url()));
            awaitReady(admin);
            admin.setDefaultCompatibility(DEFAULT_COMPATIBILITY);
        } catch (IOException | RuntimeException e) {
            abandon();
            throw new IllegalStateException("embedded schema registry failed to start: " + e.getMessage()
                    + "; its log, " + logFile + ", ends with:\n" + lastLines(logFile), e);
        } catch (InterruptedException e) {
            abandon();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the embedded schema registry", e);
        }
        LOG.info("Embedded schema registry (pid {}, storage {}) ready at {} in {} ms (log {})", pid(), storage, url(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), logFile);
    }

    private List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-Djava.io.tmpdir=" + directory);
        command.add("-Dquarkus.http.host=" + LoopbackPorts.HOST);
        command.add("-Dquarkus.http.port=" + root.getPort());
        command.add("-Dapicurio.storage.kind=sql");
        command.add("-Dapicurio.storage.sql.kind=h2");
        command.add("-Dapicurio.datasource.url=" + storage.datasourceUrl(directory));
        command.add("-jar");
        command.add(distribution.runnerJar().toString());
        return command;
    }

    private void awaitReady(RegistryAdminClient admin) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!admin.isReady()) {
            if (process.waitFor(READY_POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the registry exited with code " + process.exitValue()
                        + " before it was ready");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the registry was not ready within " + READY_TIMEOUT);
            }
        }
    }

    /** Stops a registry that failed to start, keeping its directory so that its log can be read. */
    private void abandon() {
        closed = true;
        removeShutdownHook();
        stopProcess();
    }

    private void stopProcess() {
        Process current = process;
        if (current == null) {
            return;
        }
        List<ProcessHandle> processes = new ArrayList<>(current.descendants().toList());
        processes.add(current.toHandle());
        processes.forEach(ProcessHandle::destroy);
        if (!allExited(processes)) {
            LOG.warn("Embedded schema registry (pid {}) did not stop within {}; killing it", current.pid(),
                    STOP_TIMEOUT);
            processes.forEach(ProcessHandle::destroyForcibly);
            if (!allExited(processes)) {
                LOG.error("Embedded schema registry (pid {}) is still running after being killed", current.pid());
            }
        }
    }

    private static boolean allExited(List<ProcessHandle> processes) {
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        try {
            for (ProcessHandle handle : processes) {
                handle.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for the registry's processes failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnJvmExit);
        } catch (IllegalStateException jvmAlreadyExiting) {
            LOG.debug("JVM is exiting; its shutdown hook stops the registry");
        }
    }

    private static String lastLines(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES_ON_FAILURE), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
