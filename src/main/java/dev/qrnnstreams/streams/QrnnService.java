package dev.qrnnstreams.streams;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running instance of the service: the topology on Kafka Streams. More instances with the same
 * {@code application.id} share the input partitions and their state; Kafka Streams moves both.
 *
 * <p>A stream thread that fails (the registry or the broker cannot be reached, say) is replaced and
 * resumes from its last commit, so a transient outage delays records but neither loses nor repeats
 * them. {@link #close} commits and leaves the group; call it from a shutdown hook so SIGTERM stops the
 * instance gracefully.
 */
public final class QrnnService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QrnnService.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private final KafkaStreams streams;

    private QrnnService(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Starts {@code topology} with the Kafka Streams {@code properties}. */
    public static QrnnService start(Topology topology, Properties properties) {
        KafkaStreams streams = new KafkaStreams(topology, properties);
        streams.setUncaughtExceptionHandler(exception -> {
            LOG.error("A stream thread failed; replacing it, to resume from its last commit", exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> LOG.info("Kafka Streams state {} -> {}", before, now));
        streams.start();
        return new QrnnService(streams);
    }

    /** Whether the instance is processing or rebalancing, as opposed to starting, failed or closed. */
    public boolean isRunning() {
        return streams.state().isRunningOrRebalancing();
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

    /** Every metric of the instance: Kafka Streams', its clients' and the QRNN processor's. */
    public Map<MetricName, ? extends Metric> metrics() {
        return streams.metrics();
    }

    /**
     * Commits and releases the stores, waiting at most 30 seconds. A dynamic member leaves the group;
     * a static member ({@code group.instance.id}) stays, so a restart within the session timeout gets
     * its partitions back without a rebalance.
     */
    @Override
    public void close() {
        if (!streams.close(CloseOptions.timeout(CLOSE_TIMEOUT))) {
            LOG.warn("Kafka Streams did not close within {}", CLOSE_TIMEOUT);
        }
    }
}
