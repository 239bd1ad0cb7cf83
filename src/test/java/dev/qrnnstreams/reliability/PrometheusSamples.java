package dev.qrnnstreams.reliability;

/** Reads sample values out of the Prometheus text format. */
final class PrometheusSamples {
    private PrometheusSamples() {
    }

    /** The sum of every sample of {@code metric} in {@code text}, whatever its labels; NaN when none. */
    static double sum(String text, String metric) {
        double total = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
                String value = line.substring(line.lastIndexOf(' ') + 1);
                double sample = Double.parseDouble(value);
                if (!Double.isNaN(sample)) {
                    total += sample;
                    found = true;
                }
            }
        }
        return found ? total : Double.NaN;
    }
}
