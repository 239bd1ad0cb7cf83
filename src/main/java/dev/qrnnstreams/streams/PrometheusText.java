package dev.qrnnstreams.streams;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Renders Kafka metrics in the Prometheus text exposition format, version 0.0.4.
 *
 * <p>A metric's name is its group and name joined by {@code _}, with every character outside
 * {@code [a-zA-Z0-9_:]} replaced by {@code _} ({@code stream-thread-metrics}, {@code process-rate} becomes
 * {@code stream_thread_metrics_process_rate}); its tags become labels, names sanitised the same way and
 * values escaped. Metrics that share a sanitised name form one family, with one {@code # HELP} line (the
 * first description) and one {@code # TYPE} line: {@code counter} for names ending in {@code _total}
 * (Kafka's cumulative sums and counts), {@code gauge} otherwise. Values that are not numbers (Kafka's
 * version strings, for example) are left out; NaN and infinities are written {@code NaN}, {@code +Inf} and
 * {@code -Inf}. Families are sorted by name and samples by labels, so the output is deterministic.
 */
final class PrometheusText {
    /** The media type of the format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Pattern INVALID_NAME_CHARACTER = Pattern.compile("[^a-zA-Z0-9_:]");
    private static final Pattern INVALID_LABEL_CHARACTER = Pattern.compile("[^a-zA-Z0-9_]");
    /** Integral values below this magnitude print without a fraction or exponent. */
    private static final double PLAIN_INTEGER_LIMIT = 1e15;

    private PrometheusText() {
    }

    /** The exposition of {@code metrics}; empty when none has a numeric value. */
    static String render(Map<MetricName, ? extends Metric> metrics) {
        Map<String, Family> families = new TreeMap<>();
        for (Metric metric : metrics.values()) {
            Object value = metric.metricValue();
            if (value instanceof Number number) {
                MetricName name = metric.metricName();
                String familyName = metricName(name.group() + "_" + name.name());
                families.computeIfAbsent(familyName, ignored -> new Family(help(name)))
                        .samples.putIfAbsent(labels(name.tags()), number.doubleValue());
            }
        }
        StringBuilder out = new StringBuilder();
        families.forEach((name, family) -> {
            out.append("# HELP ").append(name).append(' ').append(escapeHelp(family.help)).append('\n');
            out.append("# TYPE ").append(name).append(' ').append(name.endsWith("_total") ? "counter" : "gauge")
                    .append('\n');
            family.samples.forEach((labels, value) ->
                    out.append(name).append(labels).append(' ').append(formatValue(value)).append('\n'));
        });
        return out.toString();
    }

    /** {@code raw} with every character a metric name cannot hold replaced by {@code _}. */
    static String metricName(String raw) {
        String name = INVALID_NAME_CHARACTER.matcher(raw).replaceAll("_");
        return name.isEmpty() || Character.isDigit(name.charAt(0)) ? "_" + name : name;
    }

    /** {@code raw} with every character a label name cannot hold replaced by {@code _}. */
    static String labelName(String raw) {
        String name = INVALID_LABEL_CHARACTER.matcher(raw).replaceAll("_");
        return name.isEmpty() || Character.isDigit(name.charAt(0)) ? "_" + name : name;
    }

    /** A label value escaped for the format: backslash, double quote and line feed. */
    static String escapeLabelValue(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** A number as the format writes it. */
    static String formatValue(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < PLAIN_INTEGER_LIMIT) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    private static String help(MetricName name) {
        String description = name.description();
        return description == null || description.isBlank()
                ? "Kafka metric " + name.name() + " of group " + name.group()
                : description;
    }

    private static String escapeHelp(String text) {
        return text.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String labels(Map<String, String> tags) {
        if (tags.isEmpty()) {
            return "";
        }
        Map<String, String> byLabel = new TreeMap<>();
        tags.forEach((tag, value) -> byLabel.putIfAbsent(labelName(tag), value == null ? "" : value));
        List<String> pairs = byLabel.entrySet().stream()
                .map(label -> label.getKey() + "=\"" + escapeLabelValue(label.getValue()) + "\"")
                .toList();
        return "{" + String.join(",", pairs) + "}";
    }

    /** One metric family: its help text and its samples by rendered label set. */
    private static final class Family {
        private final String help;
        private final Map<String, Double> samples = new TreeMap<>();

        Family(String help) {
            this.help = help;
        }
    }
}
