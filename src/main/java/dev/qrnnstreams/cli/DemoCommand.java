package dev.qrnnstreams.cli;

import dev.qrnnstreams.demo.Demo;
import dev.qrnnstreams.demo.DemoReport;
import dev.qrnnstreams.demo.DemoSettings;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code qrnn demo}: the whole system on this machine, with nothing to install: a Kafka broker and a schema
 * registry on 127.0.0.1, the service with the configured models, real text fed across many keys, a live view
 * and a summary. Ctrl-C stops it early and still shuts everything down.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Start a broker, a schema registry and the service on 127.0.0.1, feed them reviews (and German",
            "sentences when a translator is served) plus a few bad records, show the outputs live, print a",
            "summary, and stop everything. Ctrl-C stops early, cleanly."})
public final class DemoCommand implements Callable<Integer> {
    private static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";
    private static final String LOG_PROPERTY_PREFIX = "org.slf4j.simpleLogger.log.";
    private static final Duration HOOK_WAIT = Duration.ofSeconds(90);

    @Spec
    private CommandSpec spec;

    @Option(names = "--reviews", defaultValue = "500",
            description = "Reviews to classify. Default: ${DEFAULT-VALUE}.")
    private int reviews;

    @Option(names = "--sentences", defaultValue = "100",
            description = "German sentences to translate, when a translator is served. Default: ${DEFAULT-VALUE}.")
    private int sentences;

    @Option(names = "--keys", defaultValue = "64",
            description = "Keys (documents) open at a time, their messages interleaved. Default: ${DEFAULT-VALUE}.")
    private int keys;

    @Option(names = "--rate", defaultValue = "40",
            description = "Messages sent per second; 0 sends as fast as possible. Default: ${DEFAULT-VALUE}.")
    private int rate;

    @Option(names = "--data", defaultValue = "../shared/data/imdb/train.tsv.gz",
            description = "IMDb reviews (gzip TSV: id, label, rating, text); when absent, the bundled sample of "
                    + "40 reviews. Default: ${DEFAULT-VALUE}.")
    private Path data;

    @Option(names = "--german", defaultValue = "../shared/data/multi30k/raw/val.de.gz",
            description = "German sentences, one per line (gzip if *.gz); when absent, the bundled sample. "
                    + "Default: ${DEFAULT-VALUE}.")
    private Path german;

    @Option(names = "--registry-home", defaultValue = "${sys:qrnn.apicurio.home:-target/apicurio}",
            description = "The unpacked Apicurio Registry (the build puts it in target/apicurio). "
                    + "Default: ${DEFAULT-VALUE}.")
    private Path registryHome;

    @Option(names = "--wait", defaultValue = "60",
            description = "Seconds to wait for outstanding outputs once no new one arrives. Default: ${DEFAULT-VALUE}.")
    private int waitSeconds;

    @Option(names = "--view", defaultValue = "auto",
            description = "live: redraw in place (ANSI); plain: one line per second; auto: live on a terminal. "
                    + "Default: ${DEFAULT-VALUE}.")
    private String view;

    @Option(names = "--set", paramLabel = "NAME=VALUE",
            description = "A service setting, such as qrnn.models=name=directory,...; repeatable (README lists "
                    + "every setting). The broker, registry and state directory are the demo's own.")
    private Map<String, String> overrides = new LinkedHashMap<>();

    /** Runs the demo; returns {@link Main#OK} when every record was answered and nothing was left behind. */
    @Override
    public Integer call() throws IOException, InterruptedException {
        quietLogs();
        DemoSettings settings;
        try {
            settings = new DemoSettings(reviews, sentences, keys, rate, data, german, registryHome,
                    Duration.ofSeconds(waitSeconds), overrides);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintStream out = System.out;
        Demo demo = new Demo(settings, out, live());
        CountDownLatch reported = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            demo.requestStop();
            try {
                reported.await(HOOK_WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "qrnn-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            DemoReport report = demo.run();
            out.print(report.summary());
            out.flush();
            return report.finished() && report.leftovers().isEmpty() ? Main.OK : Main.FAILED;
        } catch (ConfigException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        } finally {
            reported.countDown();
            removeHook(hook);
        }
    }

    /**
     * Warnings only; errors only from the broker and the Kafka clients, whose start-up and shutdown warnings
     * are expected here, and from the processor, whose warning per dead letter the live view counts
     * instead. Any level given as a system property wins.
     */
    static void quietLogs() {
        Map.of(LOG_LEVEL_PROPERTY, "warn", LOG_PROPERTY_PREFIX + "kafka", "error",
                LOG_PROPERTY_PREFIX + "org.apache.kafka", "error",
                LOG_PROPERTY_PREFIX + "dev.qrnnstreams.streams.QrnnProcessor", "error").forEach((name, level) -> {
                    if (System.getProperty(name) == null) {
                        System.setProperty(name, level);
                    }
                });
    }

    private boolean live() {
        return switch (view) {
            case "live" -> true;
            case "plain" -> false;
            case "auto" -> isTerminal();
            default -> throw new ParameterException(spec.commandLine(), "--view must be auto, live or plain");
        };
    }

    /**
     * Whether standard output is a terminal that understands cursor movement: on Linux, whether file
     * descriptor 1 is a terminal device (this also holds under {@code mvn -Pdemo}, whose child inherits the
     * terminal for its output but not for its input); elsewhere, whether the JVM has a console.
     */
    private static boolean isTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        Path standardOutput = Path.of("/proc/self/fd/1");
        if (Files.isSymbolicLink(standardOutput)) {
            try {
                String device = Files.readSymbolicLink(standardOutput).toString();
                return device.startsWith("/dev/pts/") || device.startsWith("/dev/tty");
            } catch (IOException unreadable) {
                return false;
            }
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException beforeJdk22) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException jvmExiting) {
            // the JVM is already stopping: the hook is running and returns once the report is out
        }
    }
}
