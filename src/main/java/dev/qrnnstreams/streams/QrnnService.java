package dev.qrnnstreams.streams;

import dev.qrnnstreams.inference.BackendFactory;
import dev.qrnnstreams.streams.serde.ConfluentSchemaRegistry;
import dev.qrnnstreams.streams.serde.RegistryAccessDeniedException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running instance of the service: the topology on Kafka Streams, and what it owns (the registry
 * client, the Prometheus endpoint). More instances with the same {@code application.id} share the
 * input partitions and their state; Kafka Streams moves both.
 *
 * <p>A stream thread that fails (the registry or the broker cannot be reached, say) is replaced and
 * resumes from its last commit, so a transient outage delays records but neither loses nor repeats
 * them; refused credentials stop the instance instead ({@link ThreadFailurePolicy}, {@link #hasStopped}).
 * A write or processing failure of one record is not retried: {@link DeadLetterProductionHandler}
 * and {@link DeadLetterProcessingHandler} turn it into that record's dead letter and the partition moves
 * on. {@link #close} commits, leaves the consumer group (static members too, so their partitions move
 * at once) and releases everything; call it from a shutdown hook so SIGTERM stops the instance
 * gracefully.
 */
public final class QrnnService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QrnnService.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final long MAX_POLL_MS = 100;
    private final KafkaStreams streams;
    private final RestoreLog restores;
    private final List<AutoCloseable> owned;

    private QrnnService(KafkaStreams streams, RestoreLog restores, List<AutoCloseable> owned) {
        this.streams = streams;
        this.restores = restores;
        this.owned = owned;
    }

    /**
     * Loads the configured models, connects to the registry and checks its credentials
     * ({@link RegistryStartupCheck}), checks that the largest record it may write fits the producer's and
     * the topics' limits ({@link TopicLimitsCheck}), and starts the topology and, unless turned off, the
     * Prometheus endpoint.
     *
     * @throws IOException if a model bundle cannot be read or fails its checks
     * @throws RegistryAccessDeniedException if the registry refuses the instance's credentials; nothing is
     *     started
     * @throws ConfigException if {@value ServiceConfig#RECORD_MAX_BYTES_CONFIG} is over the producer's
     *     {@code max.request.size} or a topic's {@code max.message.bytes}, less a batch's framing; nothing
     *     is started
     */
    public static QrnnService start(ServiceConfig config) throws IOException {
        ModelCatalog models = ModelCatalog.load(config.models(), config.defaultModel(), config::translationDecoding);
        TopologySettings settings = TopologySettings.from(config);
        ConfluentSchemaRegistry registry =
                ConfluentSchemaRegistry.connect(config.schemaRegistryUrls(), config.schemaRegistryClientConfig());
        try {
            RegistryStartupCheck.run(registry, config.schemaRegistryUrls(), config.schemaRegistryClientConfig());
            TopicLimitsCheck.run(config, QrnnTopology.changelogTopics(config.applicationId()),
                    TopicLimitsCheck.TIMEOUT);
        } catch (RegistryAccessDeniedException | ConfigException e) {
            registry.close();
            throw e;
        }
        StreamSerdes serdes = StreamSerdes.avro(registry, config.autoRegisterSchemas());
        Properties properties = config.streamsProperties();
        properties.putIfAbsent(StreamsConfig.POLL_MS_CONFIG,
                String.valueOf(Math.min(MAX_POLL_MS, settings.maxBatchLatency().toMillis())));
        DeadLetterCounter deadLetters = new DeadLetterCounter();
        properties.putAll(deadLetterHandlers(new DeadLetterWriter(settings.deadLetterTopic(),
                settings.limits().deadLetterRawBytes(), serdes.deadLetters(), Clock.systemUTC()), deadLetters));
        Topology topology = QrnnTopology.build(settings, serdes, models,
                new BackendFactory(config.backend(), config.inferenceThreads())::open, deadLetters);
        List<AutoCloseable> owned = new ArrayList<>(List.of(registry));
        Optional<FailedMemberRemoval> removal = config.groupInstanceId().map(id -> new FailedMemberRemoval(
                Admin.create(AdminSettings.of(properties, config.applicationId() + "-member-removal")),
                config.applicationId(), id));
        removal.ifPresent(owned::add);
        QrnnService service = start(topology, properties, owned, removal);
        if (config.metricsPort().isPresent()) {
            owned.add(0, PrometheusEndpoint.start(new InetSocketAddress(config.metricsPort().getAsInt()),
                    service::metrics, service::isRunning));
        }
        LOG.info("Joined group {} as {}", config.applicationId(), config.groupInstanceId()
                .map(id -> "static member " + id).orElse("a dynamic member"));
        LOG.info("Serving {} (default {}) from {} to {} and {}, dead letters to {}", models.names(),
                models.defaultModel(), settings.inputTopic(), settings.classificationsTopic(),
                settings.translationsTopic(), settings.deadLetterTopic());
        return service;
    }

    /** Starts {@code topology} with the Kafka Streams {@code properties}. */
    public static QrnnService start(Topology topology, Properties properties) {
        return start(topology, properties, new ArrayList<>(), Optional.empty());
    }

    /**
     * Starts {@code topology}; a failed stream thread is replaced or stops the instance as
     * {@link ThreadFailurePolicy} says; a thread to replace waits as {@link ReplacementBackoff} says, and its
     * static member is taken out of the group by {@code removal} where given.
     */
    private static QrnnService start(Topology topology, Properties properties, List<AutoCloseable> owned,
                                     Optional<FailedMemberRemoval> removal) {
        KafkaStreams streams = new KafkaStreams(topology, properties);
        ReplacementBackoff backoff = new ReplacementBackoff();
        streams.setUncaughtExceptionHandler(failure -> {
            StreamThreadExceptionResponse response = ThreadFailurePolicy.respond(failure);
            if (response == StreamThreadExceptionResponse.REPLACE_THREAD) {
                removal.ifPresent(members -> members.remove(Thread.currentThread().getName()));
                pause(backoff.after(System.nanoTime()));
            }
            return response;
        });
        streams.setStateListener((now, before) -> LOG.info("Kafka Streams state {} -> {}", before, now));
        RestoreLog restores = new RestoreLog();
        streams.setGlobalStateRestoreListener(restores);
        streams.start();
        return new QrnnService(streams, restores, owned);
    }

    /** Waits {@code wait} on the failed thread before it is replaced ({@link ReplacementBackoff}). */
    private static void pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The Kafka Streams settings that make a failed write or processing step of one record that record's
     * dead letter, written by {@code writer} and counted by {@code counter}, the one the topology counts
     * its own dead letters with.
     */
    public static Map<String, Object> deadLetterHandlers(DeadLetterWriter writer, DeadLetterCounter counter) {
        return Map.of(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class,
                StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class,
                DeadLetterWriter.CONFIG, writer, DeadLetterCounter.CONFIG, counter);
    }

    /** Whether the instance is processing or rebalancing, as opposed to starting, failed or closed. */
    public boolean isRunning() {
        return streams.state().isRunningOrRebalancing();
    }

    /** Whether the instance stopped by itself (a refusal of its credentials), as opposed to running or closing. */
    public boolean hasStopped() {
        KafkaStreams.State state = streams.state();
        return state == KafkaStreams.State.PENDING_ERROR || state == KafkaStreams.State.ERROR;
    }

    /** Waits up to {@code timeout} for the instance to reach RUNNING; returns whether it did. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR
                    || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /** The state this instance has restored from its changelogs since it started, and how long that took. */
    public RestoreLog.Totals restored() {
        return restores.totals();
    }

    /** Every metric of the instance: Kafka Streams', its clients' and the QRNN processor's. */
    public Map<MetricName, ? extends Metric> metrics() {
        return streams.metrics();
    }

    /**
     * Commits and releases the stores, waiting at most 30 seconds, then closes what the instance owns.
     * The instance leaves the consumer group, a static member ({@code group.instance.id}) too, so its
     * partitions go to the other instances at once rather than after the session timeout.
     */
    @Override
    public void close() {
        if (streams.close(CloseOptions.timeout(CLOSE_TIMEOUT)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP))) {
            LOG.info("Kafka Streams closed: work committed, stores released");
        } else {
            LOG.warn("Kafka Streams did not close within {}", CLOSE_TIMEOUT);
        }
        for (AutoCloseable resource : owned) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed", resource, e);
            }
        }
    }
}
