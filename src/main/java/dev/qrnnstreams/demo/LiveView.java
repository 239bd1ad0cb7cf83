package dev.qrnnstreams.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's view while it runs, drawn about once a second: on a terminal a block of lines redrawn in
 * place with ANSI cursor movement; elsewhere (a pipe, a log, a build) one plain line per refresh.
 */
final class LiveView {
    private static final String CURSOR_UP = "\u001b[%dA";
    private static final String CLEAR_LINE = "\u001b[2K";

    private final PrintStream out;
    private final boolean ansi;
    private int linesDrawn;
    private long lastReceived;
    private long lastElapsed;

    LiveView(PrintStream out, boolean ansi) {
        this.out = out;
        this.ansi = ansi;
    }

    void render(DemoStats stats, ServiceGauges gauges) {
        double seconds = (stats.elapsedMillis() - lastElapsed) / 1000.0;
        double rate = seconds > 0 ? (stats.received() - lastReceived) / seconds : 0;
        lastReceived = stats.received();
        lastElapsed = stats.elapsedMillis();
        if (ansi) {
            List<String> lines = frame(stats, gauges, rate);
            while (lines.size() < linesDrawn) {
                lines.add("");
            }
            StringBuilder text = new StringBuilder();
            if (linesDrawn > 0) {
                text.append(String.format(Locale.ROOT, CURSOR_UP, linesDrawn));
            }
            lines.forEach(line -> text.append(CLEAR_LINE).append(line).append('\n'));
            out.print(text);
            linesDrawn = lines.size();
        } else {
            String latest = stats.latestClassifications().isEmpty() ? ""
                    : " | " + stats.latestClassifications().get(stats.latestClassifications().size() - 1);
            out.println(String.format(Locale.ROOT, "[%5.1f s] sent %d, out %d (dead letters %d), %.0f/s, "
                            + "latency p50 %d ms p99 %d ms%s", stats.elapsedMillis() / 1000.0, stats.sent(),
                    stats.received(), stats.deadLetterCount(), rate, stats.latency().p50(), stats.latency().p99(),
                    latest));
        }
        out.flush();
    }

    private static List<String> frame(DemoStats stats, ServiceGauges gauges, double rate) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%6.1f s   in %,d sent   out %,d: %,d classifications, %,d translations, "
                        + "%,d dead letters", stats.elapsedMillis() / 1000.0, stats.sent(), stats.received(),
                stats.classifications(), stats.translations(), stats.deadLetterCount()));
        lines.add(String.format(Locale.ROOT, "throughput %,.0f records/s   end-to-end latency p50 %,d ms  p99 %,d ms   "
                        + "service: %,.0f read, batches of %.1f, step p50 %,.0f us", rate, stats.latency().p50(),
                stats.latency().p99(), gauges.recordsIn(), gauges.batchSize(), gauges.inferenceMicros()));
        StringBuilder letters = new StringBuilder("dead letters:");
        stats.deadLetters().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> letters.append(' ').append(e.getKey()).append(' ').append(e.getValue()));
        lines.add(letters.toString());
        StringBuilder accuracy = new StringBuilder("accuracy so far:");
        stats.accuracy().forEach((model, a) -> accuracy.append(String.format(Locale.ROOT, "  %s %.1f%% of %d reviews",
                model, 100 * a.fraction(), a.reviews())));
        lines.add(accuracy.toString());
        lines.add("latest classifications (key, label, score, tokens so far, message):");
        stats.latestClassifications().forEach(line -> lines.add("  " + line));
        if (!stats.latestTranslations().isEmpty()) {
            lines.add("latest translations:");
            stats.latestTranslations().forEach(line -> lines.add("  " + line));
        }
        return lines;
    }
}
