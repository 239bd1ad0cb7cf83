package dev.qrnnstreams.reliability;

/**
 * Which variant of the suite runs: the fast subset of every {@code mvn verify}, or the whole suite of
 * {@code mvn verify -Preliability} (system property {@value #FULL_PROPERTY}), with longer runs, more
 * faults, and the scenarios tagged {@value #FULL_TAG}.
 */
final class Suite {
    /** System property that selects the whole suite. */
    static final String FULL_PROPERTY = "qrnn.reliability.full";
    /** JUnit tag of every reliability scenario. */
    static final String TAG = "reliability";
    /** JUnit tag of the scenarios that only the whole suite runs (soak, load, broker and registry restarts). */
    static final String FULL_TAG = "reliability-full";

    private Suite() {
    }

    /** Whether the whole suite runs. */
    static boolean full() {
        return Boolean.getBoolean(FULL_PROPERTY);
    }

    /** {@code fast} in the fast subset, {@code full} in the whole suite. */
    static int pick(int fast, int full) {
        return full() ? full : fast;
    }
}
