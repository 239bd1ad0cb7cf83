package dev.qrnnstreams.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Guards what the progress bar prints, on a terminal and into a log, with a clock driven by the test. */
class ProgressBarTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong clock = new AtomicLong();

    @Test
    void shouldPrintOnePlainLinePerStepCrossedWhenNotATerminal() {
        ProgressBar bar = new ProgressBar(out, false, 25, clock::get);

        for (int i = 1; i <= 100; i++) {
            clock.addAndGet(1_000_000_000L);
            bar.update(i / 100.0, "loss " + i);
        }
        bar.finish();

        String[] lines = text().split("\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).contains(" 25.0% loss 25 ").contains("25s elapsed, 1m15s left");
        assertThat(lines[3]).contains("100.0% loss 100").contains("[" + "#".repeat(30) + "]")
                .contains("1m40s elapsed, 0s left");
        assertThat(text()).doesNotContain("\r");
    }

    @Test
    void shouldRedrawInPlaceOnATerminalAtMostFiveTimesASecond() {
        ProgressBar bar = new ProgressBar(out, true, 5, clock::get);

        for (int i = 1; i <= 10; i++) {
            clock.addAndGet(50_000_000L);
            bar.update(i / 20.0, "x");
        }
        bar.clear();
        bar.finish();

        String text = text();
        assertThat(text.chars().filter(c -> c == '\r').count()).as("3 draws and the clearing of the line").isEqualTo(4);
        assertThat(text).endsWith("\r\u001b[K");
    }

    @Test
    void shouldEstimateTimeLeftFromProgressMadeSinceItStarted() {
        ProgressBar bar = new ProgressBar(out, false, 10, clock::get);
        bar.update(0.5, "resumed");
        clock.addAndGet(10_000_000_000L);

        bar.update(0.6, "later");

        assertThat(text()).contains(" 60.0% later | 10s elapsed, 40s left");
    }

    @Test
    void shouldFormatDurations() {
        assertThat(ProgressBar.duration(7.4)).isEqualTo("7s");
        assertThat(ProgressBar.duration(187)).isEqualTo("3m07s");
        assertThat(ProgressBar.duration(3720)).isEqualTo("1h02m");
    }

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
