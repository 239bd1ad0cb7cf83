package dev.qrnnstreams.streams;

import java.time.Duration;

/**
 * How long a failed stream thread waits before Kafka Streams replaces it. While a broker or the registry stays
 * out of reach, each replacement fails again at once; the wait doubles from {@link #FIRST} up to {@link #MOST}
 * with every failure that follows the previous one within {@link #CALM}, so that an outage costs a few failures
 * (and a few rebalances) rather than several a second, and the instance is serving again at most {@link #MOST}
 * after the outage ends. A failure after a calm period waits {@link #FIRST} again.
 *
 * <p>Thread-safe.
 */
final class ReplacementBackoff {
    /** The wait after a first failure. */
    static final Duration FIRST = Duration.ofMillis(250);
    /** The longest wait. */
    static final Duration MOST = Duration.ofSeconds(4);
    /** Time without failures after which the wait starts again from {@link #FIRST}. */
    static final Duration CALM = Duration.ofMinutes(1);

    private long lastFailureNanos;
    private Duration next = FIRST;
    private boolean failedBefore;

    /** The wait after a failure at {@code nowNanos} ({@link System#nanoTime()}). */
    synchronized Duration after(long nowNanos) {
        if (failedBefore && nowNanos - lastFailureNanos > CALM.toNanos()) {
            next = FIRST;
        }
        Duration wait = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(MOST) > 0 ? MOST : doubled;
        lastFailureNanos = nowNanos;
        failedBefore = true;
        return wait;
    }
}
