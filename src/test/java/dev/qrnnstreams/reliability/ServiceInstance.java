package dev.qrnnstreams.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * One instance of {@code qrnn run} as its own JVM, with its settings on the command line, its output in a
 * log file and its Prometheus endpoint on a known port, so a scenario can crash it (SIGKILL), stop it
 * (SIGTERM), read its log and metrics, and measure its memory from outside as an operator would.
 */
final class ServiceInstance implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final long PAGE_BYTES = 4096;
    /** USER_HZ, the unit of /proc's CPU times: 100 on every Linux this runs on. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final String name;
    private final Process process;
    private final Path log;
    private final int metricsPort;

    private ServiceInstance(String name, Process process, Path log, int metricsPort) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.metricsPort = metricsPort;
    }

    /**
     * Starts {@code qrnn run} with {@code settings} given as {@code --set} flags and {@code heap} as its
     * maximum heap; output is appended to {@code log}, so a restarted instance continues the same file.
     */
    static ServiceInstance start(String name, Map<String, String> settings, String heap, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(flag -> flag.startsWith("--add-modules") || flag.startsWith("--enable-native-access")
                        || flag.startsWith("--sun-misc-unsafe-memory-access"))
                .forEach(command::add);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.qrnnstreams.cli.Main", "run"));
        settings.forEach((setting, value) -> command.addAll(List.of("--set", setting + "=" + value)));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new ServiceInstance(name, process, log,
                    Integer.parseInt(settings.getOrDefault("qrnn.metrics.port", "-1")));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** Kills the JVM at once, as a crash or the OOM killer would: nothing is committed or closed. */
    void kill() {
        try {
            process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends SIGTERM and waits up to a minute for the graceful stop; returns the exit status, or -1. */
    int terminate() {
        process.destroy();
        try {
            return process.waitFor(60, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Waits up to {@code timeout} for the JVM to exit by itself; returns its exit status, or empty. */
    OptionalLong awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    ? OptionalLong.of(process.exitValue()) : OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    /** The whole log so far. */
    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the log contains {@code text} within {@code timeout}, polling it. */
    boolean awaitLog(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            if (logText().contains(text)) {
                return true;
            }
        } while (Polling.pause(deadline));
        return false;
    }

    /** The Prometheus text of {@code /metrics}, or an empty string when the endpoint does not answer. */
    String scrape() {
        if (metricsPort <= 0) {
            throw new IllegalStateException(name + " has no fixed metrics port");
        }
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + metricsPort + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The sum of the samples of metric {@code name} (all label sets), or NaN when absent. */
    double metric(String name) {
        return PrometheusSamples.sum(scrape(), name);
    }

    /** Resident set size of the JVM in bytes (heap, metaspace, RocksDB and other native memory), from /proc. */
    long residentBytes() {
        try {
            String[] fields = Files.readString(Path.of("/proc", String.valueOf(pid()), "statm")).trim().split(" ");
            return Long.parseLong(fields[1]) * PAGE_BYTES;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU time the JVM has used so far, user and system, in milliseconds, from /proc; -1 once it has gone. */
    long cpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 1000 / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Kills the JVM if it still runs, and keeps its log as {@code target/reliability/logs/<name>.log}. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        try {
            Path kept = Path.of("target", "reliability", "logs", name + ".log");
            Files.createDirectories(kept.getParent());
            Files.copy(log, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // the log is a diagnostic; the scenario's verdict does not depend on it
        }
    }
}
