package dev.qrnnstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Failures in a row wait 0.25, 0.5, 1, 2, then 4 s each; after a calm minute the wait starts again at 0.25 s. */
class ReplacementBackoffTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldDoubleTheWaitUpToItsMostWhileFailuresFollowEachOther() {
        ReplacementBackoff backoff = new ReplacementBackoff();
        long now = 5 * SECOND;
        StringBuilder waits = new StringBuilder();
        for (int failure = 0; failure < 7; failure++) {
            waits.append(backoff.after(now).toMillis()).append(' ');
            now += 2 * SECOND;
        }
        assertThat(waits.toString().trim()).isEqualTo("250 500 1000 2000 4000 4000 4000");
    }

    @Test
    void shouldStartAgainFromTheFirstWaitAfterACalmPeriod() {
        ReplacementBackoff backoff = new ReplacementBackoff();
        backoff.after(0);
        backoff.after(SECOND);
        assertThat(backoff.after(2 * SECOND)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.after(2 * SECOND + ReplacementBackoff.CALM.toNanos() + 1)).isEqualTo(ReplacementBackoff.FIRST);
    }
}
