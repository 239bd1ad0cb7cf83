package dev.qrnnstreams.report;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress display on a stream (normally standard error): on a terminal one line redrawn in place,
 * at most every {@code redrawMillis}; otherwise (a log file, a pipe) one plain line each time the run
 * crosses a multiple of {@code everyPercent}. Each shows the fraction done, a caller's status text
 * (for example loss and tokens per second) and the time left, estimated from the progress made since
 * this bar started (so a resumed run is not credited with time it did not spend here).
 *
 * <p>Not thread-safe: updated from one thread.
 */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean terminal;
    private final int everyPercent;
    private final long redrawNanos;
    private final LongSupplier clock;
    private final long startNanos;
    private double startFraction = Double.NaN;
    private long firstUpdateNanos;
    private boolean drawn;
    private long lastDraw;
    private int lastStep = -1;
    private boolean lineOpen;

    /**
     * A bar on {@code out}.
     *
     * @param terminal whether {@code out} is a terminal (redraw in place) or not (plain lines)
     * @param everyPercent plain-line spacing in percent, 1 to 100
     * @param clock nanosecond time source ({@code System::nanoTime} outside tests)
     */
    public ProgressBar(PrintStream out, boolean terminal, int everyPercent, LongSupplier clock) {
        if (everyPercent < 1 || everyPercent > 100) {
            throw new IllegalArgumentException("everyPercent must be in [1, 100], was " + everyPercent);
        }
        this.out = out;
        this.terminal = terminal;
        this.everyPercent = everyPercent;
        this.redrawNanos = 200_000_000L;
        this.clock = clock;
        this.startNanos = clock.getAsLong();
    }

    /** A bar on standard error that redraws in place when the JVM has a console. */
    public static ProgressBar onStandardError(int everyPercent) {
        return new ProgressBar(System.err, System.console() != null, everyPercent, System::nanoTime);
    }

    /** Shows {@code fraction} (in [0, 1]) done with {@code status}, if it is time to. */
    public void update(double fraction, String status) {
        double done = Math.max(0, Math.min(1, fraction));
        long now = clock.getAsLong();
        if (Double.isNaN(startFraction)) {
            startFraction = done;
            firstUpdateNanos = now;
        }
        if (terminal) {
            if (!drawn || now - lastDraw >= redrawNanos || done >= 1) {
                out.print("\r" + line(done, status, now) + "\u001b[K");
                out.flush();
                lastDraw = now;
                drawn = true;
                lineOpen = true;
            }
        } else {
            int step = (int) Math.floor(done * 100 / everyPercent);
            if (step > lastStep) {
                if (lastStep >= 0 || step > 0) {
                    out.println(line(done, status, now));
                }
                lastStep = step;
            }
        }
    }

    /**
     * Clears the bar's line on a terminal, so that other output (for example an epoch's results on
     * standard output) appears on a clean line; the bar is redrawn at the next update.
     */
    public void clear() {
        if (lineOpen) {
            out.print("\r\u001b[K");
            out.flush();
            lineOpen = false;
        }
        drawn = false;
    }

    /** Ends the bar. */
    public void finish() {
        if (lineOpen) {
            out.println();
            lineOpen = false;
        }
    }

    String line(double done, String status, long now) {
        int filled = (int) Math.round(done * WIDTH);
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        double seconds = (now - startNanos) / 1e9;
        double progress = done - startFraction;
        String left = progress > 0 ? duration((now - firstUpdateNanos) / 1e9 * (1 - done) / progress) : "?";
        return String.format(Locale.ROOT, "[%s] %5.1f%% %s | %s elapsed, %s left", bar, done * 100, status,
                duration(seconds), left);
    }

    /** A duration as {@code 1h02m}, {@code 3m07s} or {@code 12s}. */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return s + "s";
    }
}
