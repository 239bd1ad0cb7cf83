package dev.qrnnstreams.streams;

import java.time.Duration;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * Paces the early commits a stream thread asks for. Under exactly-once v2 a stream thread commits all of its
 * tasks in one transaction, and Kafka Streams honours a task's request at the end of the thread's loop. A
 * commit that starts right after the previous one finds the broker still writing that one's markers, and the
 * producer retries after its back-off, which stalls the thread. So every task of a thread asks through this,
 * and a thread asks again only {@code interval} after its last commit, early or on
 * {@code commit.interval.ms}, has finished: the thread's {@code commit-total} metric tells when one has. One
 * per topology; each thread sees only its own pacing.
 */
final class ThreadCommitRequests {
    private static final String COMMIT_TOTAL = "commit-total";
    private static final String THREAD_GROUP = "stream-thread-metrics";
    private static final String THREAD_TAG = "thread-id";

    private final long intervalMillis;
    private final ThreadLocal<Pacing> threads = new ThreadLocal<>();

    /** Pacing at most one request per {@code interval} after each commit of a thread; zero: no requests at all. */
    ThreadCommitRequests(Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval must not be negative, not " + interval);
        }
        this.intervalMillis = interval.toMillis();
    }

    /**
     * Whether the calling stream thread may ask for a commit now; a yes counts as asked. {@code metrics} are the
     * instance's, where the thread's commit count is found.
     */
    boolean tryAsk(long nowMillis, StreamsMetrics metrics) {
        if (intervalMillis == 0) {
            return false;
        }
        Pacing pacing = threads.get();
        if (pacing == null) {
            pacing = new Pacing(commitCount(metrics, Thread.currentThread().getName()));
            threads.set(pacing);
        }
        return pacing.tryAsk(nowMillis);
    }

    /** The thread's count of commits, or none where the metric is not registered (outside a stream thread). */
    private static DoubleSupplier commitCount(StreamsMetrics metrics, String thread) {
        for (Map.Entry<MetricName, ? extends Metric> entry : metrics.metrics().entrySet()) {
            MetricName name = entry.getKey();
            if (name.name().equals(COMMIT_TOTAL) && name.group().equals(THREAD_GROUP)
                    && thread.equals(name.tags().get(THREAD_TAG))) {
                Metric metric = entry.getValue();
                return () -> ((Number) metric.metricValue()).doubleValue();
            }
        }
        return null;
    }

    /** One thread's state: when it may ask next, and the commit count it last saw. */
    private final class Pacing {
        private final DoubleSupplier commits;
        private double commitsSeen;
        private boolean awaitingCommit;
        private long nextRequestMillis = Long.MIN_VALUE;

        Pacing(DoubleSupplier commits) {
            this.commits = commits;
            this.commitsSeen = commits == null ? 0 : commits.getAsDouble();
        }

        boolean tryAsk(long nowMillis) {
            double committed = commits == null ? commitsSeen : commits.getAsDouble();
            if (committed != commitsSeen) {
                commitsSeen = committed;
                awaitingCommit = false;
                nextRequestMillis = nowMillis + intervalMillis;
            }
            if (awaitingCommit || nowMillis < nextRequestMillis) {
                return false;
            }
            awaitingCommit = commits != null;
            nextRequestMillis = nowMillis + intervalMillis;
            return true;
        }
    }
}
