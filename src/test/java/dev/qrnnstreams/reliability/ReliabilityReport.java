package dev.qrnnstreams.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Writes {@code RELIABILITY.md}: every scenario's row and every measurement, gathered from the files that
 * each scenario leaves in {@code target/reliability}, so the file is whole after any subset of the suite
 * ran, in any order. The report goes where {@value #REPORT_PROPERTY} says (the project root under
 * {@code -Preliability}), else to {@code target/reliability/RELIABILITY.md}.
 */
final class ReliabilityReport {
    /** System property naming the report file. */
    static final String REPORT_PROPERTY = "qrnn.reliability.report";
    private static final Path ROWS = Path.of("target", "reliability", "rows");
    private static final Path MEASUREMENTS = Path.of("target", "reliability", "measurements");

    private ReliabilityReport() {
    }

    /** Adds (or replaces) {@code verdict}'s row and rewrites the report. */
    static synchronized void record(Verdict verdict) {
        String row = String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %,d | %,d | %s | %s |%n", verdict.scenario(),
                verdict.recordsIn(), verdict.outputs(), verdict.deadLetters(), verdict.lost(), verdict.duplicated(),
                verdict.passed() ? "pass" : "FAIL" + (verdict.mismatched() > 0 ? " (" + verdict.mismatched()
                        + " differ)" : ""), String.join("; ", verdict.examples().isEmpty() ? List.of(verdict.notes())
                        : List.of(verdict.notes(), String.join(", ", verdict.examples()))).replace('|', '/'));
        write(ROWS.resolve(fileName(verdict.scenario())), row);
    }

    /** Adds (or replaces) a measurement, a titled paragraph or table in Markdown, and rewrites the report. */
    static synchronized void measure(String title, String markdown) {
        write(MEASUREMENTS.resolve(fileName(title)), "### " + title + "\n\n" + markdown.strip() + "\n\n");
    }

    private static String fileName(String title) {
        return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + ".md";
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            Path report = Path.of(System.getProperty(REPORT_PROPERTY, "target/reliability/RELIABILITY.md"));
            Files.createDirectories(report.toAbsolutePath().getParent());
            Files.writeString(report, render());
        } catch (IOException e) {
            throw new UncheckedIOException("writing the reliability report failed", e);
        }
    }

    private static String render() throws IOException {
        StringBuilder md = new StringBuilder("""
                # Reliability

                Written by the reliability suite (`mvn verify -Preliability`; the fast subset runs in every
                `mvn verify`). Each scenario runs `qrnn run` as separate JVMs against a real KRaft broker and an
                Apicurio registry, and compares the committed output (`read_committed`) with an uninterrupted run
                over the same input: every event id must come out exactly once, as a classification or a dead
                letter, with the same key, label, token count and scores (within 1e-6). One input in 97 is empty
                text, a dead letter by design. *lost*: event ids that never came out; *duplicated*: extra copies.

                | scenario | records in | outputs | dead letters | lost | duplicated | result | notes |
                |---|---|---|---|---|---|---|---|
                """);
        for (Path row : sorted(ROWS)) {
            md.append(Files.readString(row));
        }
        md.append("\n## Measurements\n\n");
        for (Path measurement : sorted(MEASUREMENTS)) {
            md.append(Files.readString(measurement));
        }
        return md.toString().strip() + "\n";
    }

    private static List<Path> sorted(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }
}
