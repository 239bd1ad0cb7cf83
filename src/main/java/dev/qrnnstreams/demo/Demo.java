package dev.qrnnstreams.demo;

import dev.qrnnstreams.embedded.EmbeddedKafka;
import dev.qrnnstreams.embedded.EmbeddedSchemaRegistry;
import dev.qrnnstreams.streams.QrnnService;
import dev.qrnnstreams.streams.ServiceConfig;
import dev.qrnnstreams.streams.serde.ConfluentSchemaRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo from start to end: a KRaft broker in this JVM and an Apicurio registry as a child process, the
 * topics, the service with the configured models that are on disk, the feed, the live view, and the
 * shutdown of all of it in reverse order, temporary directories included.
 *
 * <p>{@link #run} runs on the caller's thread and returns the report; {@link #requestStop} (from another
 * thread, such as a shutdown hook) makes it stop early and still shut everything down.
 */
public final class Demo {
    private static final Logger LOG = LoggerFactory.getLogger(Demo.class);
    private static final Duration RUNNING_TIMEOUT = Duration.ofMinutes(2);
    private static final long FRAME_MILLIS = 1_000;
    private static final long TICK_MILLIS = 50;
    private static final int INPUT_PARTITIONS = 3;

    private final DemoSettings settings;
    private final PrintStream out;
    private final boolean ansi;
    private final Footprint footprint = new Footprint();
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private volatile boolean stopRequested;

    /** A demo that prints to {@code out}, redrawing its live view in place when {@code ansi}. */
    public Demo(DemoSettings settings, PrintStream out, boolean ansi) {
        this.settings = settings;
        this.out = out;
        this.ansi = ansi;
    }

    /** Makes {@link #run} stop feeding and shut down; callable from any thread. */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Runs the demo and shuts everything down, also when it fails or is stopped early.
     *
     * @throws IOException if a model or the data cannot be read
     */
    public DemoReport run() throws IOException, InterruptedException {
        ServiceConfig configured = ServiceConfig.load(Optional.empty(), Map.of(), settings.serviceSettings());
        DemoModels models = DemoModels.of(configured.models());
        out.println(models.describe());
        DemoCorpus corpus = DemoCorpus.load(settings.reviewsFile(), settings.reviews(), models.imdbDevSplit(),
                settings.sentencesFile(), models.translator().isPresent() ? settings.sentences() : 0);
        List<FeedItem> plan = FeedPlan.build(corpus, models.classifierNames(), models.translator(), settings.keys(),
                configured.textMaxChars());
        out.printf("data: %s%nfeed: %,d records (%,d reviews, %,d German sentences, 7 bad records) over %d keys"
                        + " at a time%n", corpus.source(), plan.size(), corpus.reviews().size(), corpus.sentences().size(),
                settings.keys());
        DemoStats stats = null;
        boolean finished = false;
        try {
            Services services = start(configured, models);
            if (services != null) {
                finished = feedAndWatch(services, plan);
                stats = services.tracker().snapshot(System.currentTimeMillis());
            }
        } finally {
            shutDown();
        }
        List<String> leftovers = footprint.leftovers();
        return new DemoReport(stats == null ? emptyStats() : stats, finished, footprint, leftovers);
    }

    private record Services(QrnnService service, ConfluentSchemaRegistry registry, OutputTracker tracker,
                            String bootstrapServers, OutputTracker.Topics topics) {
    }

    /** Starts the broker, the registry, the service and the output reader; null if stopped meanwhile. */
    private Services start(ServiceConfig configured, DemoModels models) throws IOException, InterruptedException {
        EmbeddedKafka kafka = started(EmbeddedKafka.start());
        footprint.directory(kafka.directory());
        footprint.endpoint(address(kafka.bootstrapServers()));
        OutputTracker.Topics topics = new OutputTracker.Topics(configured.inputTopic(),
                configured.classificationsTopic(), configured.translationsTopic(), configured.dlqTopic());
        kafka.createTopics(INPUT_PARTITIONS, topics.input());
        kafka.createTopics(1, topics.classifications(), topics.translations(), topics.deadLetters());
        if (stopRequested) {
            return null;
        }
        EmbeddedSchemaRegistry registry = started(EmbeddedSchemaRegistry.start(settings.registryHome()));
        footprint.registryProcess(registry.pid());
        footprint.directory(registry.logFile().getParent());
        URI registryUrl = URI.create(registry.url());
        footprint.endpoint(new InetSocketAddress(registryUrl.getHost(), registryUrl.getPort()));
        if (stopRequested) {
            return null;
        }
        Path stateDirectory = Files.createTempDirectory("qrnn-demo-state-");
        footprint.directory(stateDirectory);
        started.push(() -> deleteRecursively(stateDirectory));
        ServiceConfig config = ServiceConfig.load(Optional.empty(), Map.of(),
                serviceSettings(kafka.bootstrapServers(), registry.url(), stateDirectory, models, configured));
        QrnnService service = started(QrnnService.start(config));
        config.metricsPort().ifPresent(port -> footprint.endpoint(new InetSocketAddress("127.0.0.1", port)));
        out.printf("broker %s, registry %s (pid %d), metrics %s%n", kafka.bootstrapServers(), registry.url(),
                registry.pid(), config.metricsPort().isPresent()
                        ? "http://127.0.0.1:" + config.metricsPort().getAsInt() + "/metrics" : "off");
        if (!service.awaitRunning(RUNNING_TIMEOUT)) {
            throw new IllegalStateException("the service did not reach RUNNING within " + RUNNING_TIMEOUT);
        }
        ConfluentSchemaRegistry client = started(ConfluentSchemaRegistry.connect(List.of(registry.url()), Map.of()));
        OutputTracker tracker = started(new OutputTracker(kafka.bootstrapServers(), client, topics));
        return new Services(service, client, tracker, kafka.bootstrapServers(), topics);
    }

    private boolean feedAndWatch(Services services, List<FeedItem> plan) throws InterruptedException {
        OutputTracker tracker = services.tracker();
        DemoFeed feed = started(new DemoFeed(services.bootstrapServers(), services.registry(), services.topics().input(),
                plan, settings.messagesPerSecond(), tracker));
        LiveView view = new LiveView(out, ansi);
        long lastFrame = System.currentTimeMillis();
        long feedDoneAt = -1;
        while (!stopRequested) {
            long now = System.currentTimeMillis();
            if (feed.done() && feedDoneAt < 0) {
                feedDoneAt = now;
            }
            if (feedDoneAt >= 0 && tracker.complete()) {
                view.render(tracker.snapshot(now), ServiceGauges.of(services.service().metrics()));
                return true;
            }
            if (feedDoneAt >= 0 && now - Math.max(feedDoneAt, tracker.lastReceived()) > settings.outputWait().toMillis()) {
                out.println("no new output for " + settings.outputWait().toSeconds() + " s; stopping");
                return false;
            }
            if (!services.service().isRunning()) {
                out.println("the service stopped running; stopping");
                return false;
            }
            if (now - lastFrame >= FRAME_MILLIS) {
                view.render(tracker.snapshot(now), ServiceGauges.of(services.service().metrics()));
                lastFrame = now;
            }
            Thread.sleep(TICK_MILLIS);
        }
        out.println("stopped early");
        return false;
    }

    private Map<String, String> serviceSettings(String bootstrapServers, String registryUrl, Path stateDirectory,
                                                DemoModels models, ServiceConfig configured) throws IOException {
        Map<String, String> values = new LinkedHashMap<>(settings.serviceSettings());
        values.putIfAbsent(ServiceConfig.APPLICATION_ID_CONFIG, "qrnn-demo");
        values.putIfAbsent(ServiceConfig.METRICS_PORT_CONFIG, String.valueOf(freePort()));
        values.putIfAbsent("replication.factor", "1");
        values.put(ServiceConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        values.put(ServiceConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
        values.put(ServiceConfig.STATE_DIR_CONFIG, stateDirectory.toString());
        values.put(ServiceConfig.MODELS_CONFIG, models.modelsSetting());
        if (!models.served().containsKey(configured.defaultModel())) {
            values.put(ServiceConfig.DEFAULT_MODEL_CONFIG, models.classifierNames().get(0));
        }
        return values;
    }

    private <T extends AutoCloseable> T started(T resource) {
        started.push(resource);
        return resource;
    }

    /** Closes everything started, newest first, going on past failures. */
    private void shutDown() {
        while (!started.isEmpty()) {
            AutoCloseable resource = started.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Stopping {} failed", resource, e);
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static InetSocketAddress address(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        return new InetSocketAddress(hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1)));
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static DemoStats emptyStats() {
        return new DemoStats(0, 0, 0, 0, 0, 0, Map.of(), DemoStats.Latency.of(new long[0]), 0, Map.of(), List.of(),
                List.of());
    }
}
