package dev.qrnnstreams.reliability;

import java.util.concurrent.locks.LockSupport;

/** The suite's one way to wait: short pauses between polls, up to a deadline. */
final class Polling {
    private static final long PAUSE_NANOS = 100_000_000L;

    private Polling() {
    }

    /** Pauses before the next poll; false once {@code deadlineNanos} (a {@link System#nanoTime()}) has passed. */
    static boolean pause(long deadlineNanos) {
        if (System.nanoTime() - deadlineNanos > 0) {
            return false;
        }
        LockSupport.parkNanos(PAUSE_NANOS);
        return true;
    }
}
