package dev.qrnnstreams.streams;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.internals.metrics.StreamsMetricsImpl;
import org.junit.jupiter.api.Test;

class CommitPacerTest {
    private static final long NOW = 1_000_000;
    /** Metrics without a stream thread's commit count: the thread paces by its requests alone. */
    private static final StreamsMetrics NO_STREAM_THREAD = new StreamsMetricsImpl(new Metrics(), "client",
            Time.SYSTEM);
    private final ThreadCommitRequests thread = new ThreadCommitRequests(Duration.ofMillis(20));
    private final CommitPacer pacer = new CommitPacer(Duration.ofMillis(100), thread, NO_STREAM_THREAD);

    @Test
    void shouldAskForNothingBeforeAnythingIsWritten() {
        assertFalse(pacer.commitDue(NOW));
        assertFalse(pacer.commitDue(NOW + 1_000));
    }

    @Test
    void shouldAskAtOnceWhenFreshRecordsWereStepped() {
        pacer.batchStepped(NOW - 10, NOW);
        assertTrue(pacer.commitDue(NOW));
        assertFalse(pacer.commitDue(NOW), "asked once for one batch");
    }

    @Test
    void shouldAskAtMostOncePerIntervalWhileCaughtUp() {
        pacer.batchStepped(NOW - 5, NOW);
        assertTrue(pacer.commitDue(NOW));
        pacer.batchStepped(NOW, NOW + 5);
        assertFalse(pacer.commitDue(NOW + 5));
        assertFalse(pacer.commitDue(NOW + 19));
        assertTrue(pacer.commitDue(NOW + 20), "the second batch is committed at the end of the interval");
        assertFalse(pacer.commitDue(NOW + 100), "nothing new since");
    }

    @Test
    void shouldTreatRecordsExactlyAtTheBoundAsCaughtUp() {
        pacer.batchStepped(NOW - 100, NOW);
        assertTrue(pacer.commitDue(NOW));
    }

    @Test
    void shouldLeaveCommitsToTheCommitIntervalWhileBehind() {
        pacer.batchStepped(NOW - 101, NOW);
        assertFalse(pacer.commitDue(NOW));
        assertFalse(pacer.commitDue(NOW + 5_000));
        pacer.written();
        assertFalse(pacer.commitDue(NOW + 5_000), "a dead letter during a backlog waits for the interval too");
    }

    @Test
    void shouldAskAgainOnceABacklogIsWorkedOff() {
        pacer.batchStepped(NOW - 60_000, NOW);
        assertFalse(pacer.commitDue(NOW));
        pacer.batchStepped(NOW + 40, NOW + 50);
        assertTrue(pacer.commitDue(NOW + 50));
    }

    @Test
    void shouldAskForADeadLetterWrittenWhileCaughtUp() {
        pacer.written();
        assertTrue(pacer.commitDue(NOW));
    }

    @Test
    void shouldNeverAskWithAZeroInterval() {
        CommitPacer never = new CommitPacer(Duration.ofMillis(100), new ThreadCommitRequests(Duration.ZERO),
                NO_STREAM_THREAD);
        never.batchStepped(NOW, NOW);
        never.written();
        assertFalse(never.commitDue(NOW));
        assertFalse(never.commitDue(Long.MAX_VALUE));
    }

    @Test
    void shouldShareTheIntervalBetweenTheTasksOfAThread() {
        CommitPacer other = new CommitPacer(Duration.ofMillis(100), thread, NO_STREAM_THREAD);
        pacer.batchStepped(NOW, NOW);
        other.batchStepped(NOW, NOW);
        assertTrue(pacer.commitDue(NOW));
        assertFalse(other.commitDue(NOW + 1), "the thread's commit covers the other task too");
        assertTrue(other.commitDue(NOW + 20));
    }

    @Test
    void shouldAskAgainOnlyAnIntervalAfterTheThreadsCommitHasFinished() {
        Metrics registry = new Metrics();
        Sensor commits = registry.sensor("commit");
        commits.add(new MetricName("commit-total", "stream-thread-metrics", "",
                Map.of("thread-id", Thread.currentThread().getName())), new CumulativeCount());
        CommitPacer task = new CommitPacer(Duration.ofMillis(100), new ThreadCommitRequests(Duration.ofMillis(20)),
                new StreamsMetricsImpl(registry, "client", Time.SYSTEM));
        task.batchStepped(NOW, NOW);
        assertTrue(task.commitDue(NOW));
        task.batchStepped(NOW + 30, NOW + 30);
        assertFalse(task.commitDue(NOW + 50), "the commit asked for has not happened yet");
        commits.record();
        assertFalse(task.commitDue(NOW + 51), "the thread committed just now");
        assertFalse(task.commitDue(NOW + 70));
        assertTrue(task.commitDue(NOW + 71));
    }

    @Test
    void shouldRefuseNegativeIntervals() {
        assertThrows(IllegalArgumentException.class,
                () -> new CommitPacer(Duration.ofMillis(-1), thread, NO_STREAM_THREAD));
        assertThrows(IllegalArgumentException.class, () -> new ThreadCommitRequests(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> new EarlyCommits(Duration.ofMillis(-1), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new EarlyCommits(Duration.ZERO, Duration.ofMillis(-1)));
    }
}
