package dev.qrnnstreams.cli;

import dev.qrnnstreams.streams.QrnnService;
import dev.qrnnstreams.streams.ServiceConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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
 * {@code qrnn run}: starts the service against a cluster and runs until SIGTERM or Ctrl-C, which close
 * it gracefully (commit, release the stores, leave or keep the group membership).
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the stream processor against a Kafka cluster and schema registry until stopped.",
            "Settings come from, in rising precedence: defaults, --config, environment variables (QRNN_*,",
            "KAFKA_*, SCHEMA_REGISTRY_*), --set. README.md lists every setting."})
public final class RunCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = {"-c", "--config"}, description = "A properties file of settings.")
    private Path config;

    @Option(names = "--set", paramLabel = "NAME=VALUE",
            description = "A setting, overriding the file and the environment; repeatable.")
    private Map<String, String> overrides = new LinkedHashMap<>();

    /**
     * Starts the service and blocks until the JVM is asked to stop, or the service stops by itself because
     * its credentials were refused (exit status {@link Main#FAILED}; the shutdown hook closes it).
     */
    @Override
    public Integer call() throws IOException, InterruptedException {
        ServiceConfig settings;
        try {
            settings = ServiceConfig.load(Optional.ofNullable(config), System.getenv(), overrides);
        } catch (ConfigException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        QrnnService service = QrnnService.start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "qrnn-shutdown"));
        while (!stopped.await(1, TimeUnit.SECONDS)) {
            if (service.hasStopped()) {
                return Main.FAILED;
            }
        }
        return Main.OK;
    }
}
