package dev.qrnnstreams.demo;

import dev.qrnnstreams.avro.ErrorKind;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The outcome of a demo run: the final statistics, whether it ran to the end, and what of it was left
 * after the shutdown.
 *
 * @param stats the final statistics
 * @param finished whether every record was answered (false when stopped early or when answers were missing)
 * @param footprint what the demo started
 * @param leftovers what of that still existed after the shutdown; empty after a clean one
 */
public record DemoReport(DemoStats stats, boolean finished, Footprint footprint, List<String> leftovers) {

    /** Copies the list. */
    public DemoReport {
        leftovers = List.copyOf(leftovers);
    }

    /** Dead letters by kind. */
    public Map<ErrorKind, Long> deadLetters() {
        return stats.deadLetters();
    }

    /** Classifications read. */
    public long classifications() {
        return stats.classifications();
    }

    /** The summary, several lines. */
    public String summary() {
        StringBuilder text = new StringBuilder(finished ? "Summary\n" : "Summary (incomplete: "
                + (stats.required() - stats.answered()) + " records unanswered)\n");
        line(text, "records", String.format(Locale.ROOT, "%,d sent, %,d answered of %,d expected: %,d "
                        + "classifications, %,d translations, %,d dead letters", stats.sent(), stats.answered(),
                stats.required(), stats.classifications(), stats.translations(), stats.deadLetterCount()));
        line(text, "throughput", String.format(Locale.ROOT, "%,.1f records/s over %.1f s", stats.outputsPerSecond(),
                stats.elapsedMillis() / 1000.0));
        line(text, "latency", String.format(Locale.ROOT, "p50 %,d ms, p99 %,d ms end to end over %,d outputs (event "
                + "time to the read_committed consumer)", stats.latency().p50(), stats.latency().p99(),
                stats.latency().samples()));
        line(text, "accuracy", stats.accuracy().entrySet().stream().map(e -> String.format(Locale.ROOT,
                "%s %.1f%% of %,d reviews", e.getKey(), 100 * e.getValue().fraction(), e.getValue().reviews()))
                .collect(Collectors.joining("; ")) + " (final classification against the label)");
        line(text, "dead letters", stats.deadLetters().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        line(text, "shutdown", leftovers.isEmpty()
                ? "clean: registry process " + footprint.registryPid().orElse(-1) + " gone, "
                        + footprint.endpoints().size() + " listeners closed, " + footprint.directories().size()
                        + " temporary directories removed"
                : "left behind: " + String.join(", ", leftovers));
        return text.toString();
    }

    private static void line(StringBuilder text, String name, String value) {
        text.append(String.format(Locale.ROOT, "  %-13s %s%n", name, value));
    }
}
