package dev.qrnnstreams.streams;

import java.time.Duration;
import java.util.Objects;

/**
 * When a task asks for a commit before {@code commit.interval.ms} ({@link CommitPacer}).
 *
 * @param interval the least time between a stream thread's last commit and its next early one; zero: no early
 *     commits, every commit on {@code commit.interval.ms}
 * @param backlogAge a task whose newest stepped record is older than this is working through a backlog and
 *     asks for no early commit
 */
public record EarlyCommits(Duration interval, Duration backlogAge) {
    /** Checks that both durations are given and not negative. */
    public EarlyCommits {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(backlogAge, "backlogAge");
        if (interval.isNegative() || backlogAge.isNegative()) {
            throw new IllegalArgumentException("interval and backlogAge must not be negative, not " + interval
                    + " and " + backlogAge);
        }
    }
}
