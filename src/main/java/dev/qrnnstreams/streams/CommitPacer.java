package dev.qrnnstreams.streams;

import java.time.Duration;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * Decides when a task asks Kafka Streams to commit before {@code commit.interval.ms} has passed. Under
 * exactly-once an output is visible to a {@code read_committed} consumer only after its transaction
 * commits, and every commit waits for all of the transaction's sends to be acknowledged. So:
 * <ul>
 *   <li>a task that keeps up with its input (the newest record of its last batch was produced at most
 *       {@code backlogAge} ago) asks for a commit once it has new outputs and its thread may ask
 *       ({@link ThreadCommitRequests}), which keeps the end-to-end latency near the batch's bound plus the
 *       thread's request interval;</li>
 *   <li>a task working through a backlog (that record is older) asks for nothing and leaves commits to
 *       {@code commit.interval.ms}, so fewer commits take time from the model while its records wait behind
 *       others anyway.</li>
 * </ul>
 * The age is read from the records' timestamps, which the service clamps to its clock: a producer whose
 * clock runs more than {@code backlogAge} late makes its records look like a backlog, and their commits wait
 * for {@code commit.interval.ms}. Confined to the stream thread of its task.
 */
final class CommitPacer {
    private final long backlogAgeMillis;
    private final ThreadCommitRequests thread;
    private final StreamsMetrics metrics;
    private boolean uncommitted;
    private boolean behind;

    /**
     * A task's pacer, keeping up while the records it steps are at most {@code backlogAge} old, asking through
     * its thread's {@code thread} pacing, which reads the thread's commits from {@code metrics}.
     */
    CommitPacer(Duration backlogAge, ThreadCommitRequests thread, StreamsMetrics metrics) {
        if (backlogAge.isNegative()) {
            throw new IllegalArgumentException("backlogAge must not be negative, not " + backlogAge);
        }
        this.backlogAgeMillis = backlogAge.toMillis();
        this.thread = thread;
        this.metrics = metrics;
    }

    /** A batch was stepped at {@code nowMillis}; the newest of its records has timestamp {@code newestMillis}. */
    void batchStepped(long newestMillis, long nowMillis) {
        uncommitted = true;
        behind = nowMillis - newestMillis > backlogAgeMillis;
    }

    /** Something was written outside a batch (a dead letter for a record rejected on arrival). */
    void written() {
        uncommitted = true;
    }

    /** Whether the task should ask for a commit now; a yes counts as asked. */
    boolean commitDue(long nowMillis) {
        if (!uncommitted || behind || !thread.tryAsk(nowMillis, metrics)) {
            return false;
        }
        uncommitted = false;
        return true;
    }
}
