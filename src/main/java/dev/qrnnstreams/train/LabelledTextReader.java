package dev.qrnnstreams.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads labelled text from the files people have: CSV and TSV (RFC 4180 quoting through Apache Commons
 * CSV, so quoted fields may hold delimiters, quotes and newlines; with or without a header line) and JSON
 * Lines (one object per line, through Jackson); any of them gzip-compressed (told by the content, not the
 * name). The text and label columns are chosen by header name or by 1-based position (CSV and TSV), or
 * by field name (JSON Lines).
 *
 * <p>A row that cannot be used (a missing column, an empty text, a missing label, a line that is not a
 * JSON object) fails the read with a {@link BadDataException} naming the file, the line the row starts
 * on and the problem; with {@link Builder#skipBadRows} it is left out and counted instead. A malformed
 * quoted field always fails: after it the parser cannot tell where the next row starts. Thread-safe:
 * immutable.
 */
public final class LabelledTextReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Format format;
    private final boolean header;
    private final String textColumn;
    private final String labelColumn;
    private final Character quote;
    private final boolean skipBadRows;

    private LabelledTextReader(Builder builder) {
        this.format = builder.format;
        this.header = builder.header;
        this.textColumn = builder.textColumn;
        this.labelColumn = builder.labelColumn;
        this.quote = builder.quote;
        this.skipBadRows = builder.skipBadRows;
    }

    /** A builder with the defaults: format from the file name, a header, columns {@code text} and {@code label}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The file layouts read. */
    public enum Format {
        /** Comma-separated values, RFC 4180. */
        CSV,
        /** Tab-separated values, quoted like CSV unless the quote is switched off. */
        TSV,
        /** JSON Lines: one JSON object per line. */
        JSONL;

        /**
         * The format told by the file's name, a {@code .gz} ending aside: {@code .csv}; {@code .tsv},
         * {@code .tab} or {@code .txt}; {@code .jsonl}, {@code .ndjson} or {@code .json}.
         */
        public static Optional<Format> of(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".gz")) {
                name = name.substring(0, name.length() - 3);
            }
            if (name.endsWith(".csv")) {
                return Optional.of(CSV);
            }
            if (name.endsWith(".tsv") || name.endsWith(".tab") || name.endsWith(".txt")) {
                return Optional.of(TSV);
            }
            if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
                return Optional.of(JSONL);
            }
            return Optional.empty();
        }

        /** The lower-case name used on the command line and in manifests. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One usable row: its text and label as written in the file.
     *
     * @param text the text, not empty
     * @param label the label, trimmed, not empty; empty for a reader of {@link Builder#unlabelled unlabelled} text
     * @param line the 1-based line the row starts on
     */
    public record Row(String text, String label, long line) {
    }

    /**
     * What a read found.
     *
     * @param file the file read
     * @param rows the usable rows, in file order
     * @param skipped one message (file, line, problem) per row left out
     */
    public record Rows(Path file, List<Row> rows, List<String> skipped) {
        /** Copies the lists. */
        public Rows {
            rows = List.copyOf(rows);
            skipped = List.copyOf(skipped);
        }
    }

    /**
     * This reader's settings, for a manifest's {@code data} section ({@code format} only when set; the
     * quote as {@code none} when off); {@link #fromSettings} reads them back.
     */
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        if (format != null) {
            settings.put("format", format.id());
        }
        settings.put("header", Boolean.toString(header));
        settings.put("text_column", textColumn);
        if (labelColumn != null) {
            settings.put("label_column", labelColumn);
        }
        settings.put("quote", quote == null ? "none" : quote.toString());
        return settings;
    }

    /**
     * A builder set as {@code settings} records (see {@link #settings}), or empty if they record no
     * reader (bundles trained before readers were recorded).
     */
    public static Optional<Builder> fromSettings(Map<String, String> settings) {
        if (!settings.containsKey("text_column") || !settings.containsKey("label_column")) {
            return Optional.empty();
        }
        String quote = settings.getOrDefault("quote", "\"");
        return Optional.of(builder()
                .format(settings.containsKey("format") ? Format.valueOf(settings.get("format").toUpperCase(Locale.ROOT))
                        : null)
                .header(Boolean.parseBoolean(settings.getOrDefault("header", "true")))
                .textColumn(settings.get("text_column")).labelColumn(settings.get("label_column"))
                .quote("none".equals(quote) ? null : quote.charAt(0)));
    }

    /** The format this reader uses for {@code file}: the one set, or the one its name tells. */
    public Format format(Path file) throws BadDataException {
        if (format != null) {
            return format;
        }
        return Format.of(file).orElseThrow(() -> new BadDataException(file, 0,
                "cannot tell the format from the name; name it (csv, tsv or jsonl)"));
    }

    /**
     * Reads every row of {@code file}.
     *
     * @throws BadDataException for a bad row (unless skipped), a missing column, or a malformed quoted field
     * @throws IOException if the file cannot be read
     */
    public Rows read(Path file) throws IOException {
        Format layout = format(file);
        List<Row> rows = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        try (Reader reader = new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8))) {
            if (layout == Format.JSONL) {
                readJsonLines(file, reader, rows, skipped);
            } else {
                readTable(file, layout, reader, rows, skipped);
            }
        }
        return new Rows(file, rows, skipped);
    }

    /** The policy for a bad row: throw, or record it and go on. */
    private void bad(Path file, long line, String problem, List<String> skipped) throws BadDataException {
        BadDataException bad = new BadDataException(file, line, problem);
        if (!skipBadRows) {
            throw bad;
        }
        skipped.add(bad.getMessage());
    }

    private void readTable(Path file, Format layout, Reader reader, List<Row> rows, List<String> skipped)
            throws IOException {
        CSVFormat.Builder csv = CSVFormat.DEFAULT.builder().setDelimiter(layout == Format.TSV ? '\t' : ',')
                .setQuote(quote).setIgnoreEmptyLines(false);
        if (header) {
            csv.setHeader().setSkipHeaderRecord(true);
        }
        try (CSVParser parser = parseTable(file, csv.build(), reader)) {
            int text = column(file, parser, textColumn, "text");
            int label = labelColumn == null ? -1 : column(file, parser, labelColumn, "label");
            Iterator<CSVRecord> records = parser.iterator();
            while (true) {
                long line = parser.getCurrentLineNumber() + 1;
                CSVRecord record;
                try {
                    if (!records.hasNext()) {
                        break;
                    }
                    record = records.next();
                } catch (UncheckedIOException e) {
                    throw new BadDataException(file, line, "malformed quoted field (" + e.getCause().getMessage()
                            + "); if quotes are plain characters in this file, switch quoting off");
                }
                if (record.size() == 1 && record.get(0).isEmpty()) {
                    continue;
                }
                if (record.size() <= Math.max(text, label)) {
                    String missing = record.size() <= text ? "text column '" + textColumn + "'"
                            : "label column '" + labelColumn + "'";
                    bad(file, line, "missing " + missing + ": the row has " + record.size() + " field"
                            + (record.size() == 1 ? "" : "s"), skipped);
                    continue;
                }
                accept(file, line, record.get(text), label < 0 ? null : record.get(label), rows, skipped);
            }
        }
    }

    private static CSVParser parseTable(Path file, CSVFormat format, Reader reader) throws IOException {
        try {
            return format.parse(reader);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            throw new BadDataException(file, 1, "unreadable header: " + e.getMessage());
        }
    }

    private void readJsonLines(Path file, Reader reader, List<Row> rows, List<String> skipped) throws IOException {
        BufferedReader lines = (BufferedReader) reader;
        String line;
        long number = 0;
        while ((line = lines.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode object;
            try {
                object = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                bad(file, number, "not a JSON object: " + e.getOriginalMessage(), skipped);
                continue;
            }
            if (object == null || !object.isObject()) {
                bad(file, number, "not a JSON object", skipped);
                continue;
            }
            JsonNode text = object.get(textColumn);
            JsonNode label = labelColumn == null ? null : object.get(labelColumn);
            if (text == null || text.isNull()) {
                bad(file, number, "missing field '" + textColumn + "'", skipped);
            } else if (labelColumn != null && (label == null || label.isNull())) {
                bad(file, number, "missing label (field '" + labelColumn + "')", skipped);
            } else {
                accept(file, number, text.asText(), label == null ? null : label.asText(), rows, skipped);
            }
        }
    }

    private void accept(Path file, long line, String text, String label, List<Row> rows, List<String> skipped)
            throws BadDataException {
        if (text.isBlank()) {
            bad(file, line, "empty text", skipped);
        } else if (label != null && label.isBlank()) {
            bad(file, line, "missing label", skipped);
        } else {
            rows.add(new Row(text, label == null ? "" : label.trim(), line));
        }
    }

    /** The 0-based index of the column named or numbered by {@code spec}. */
    private int column(Path file, CSVParser parser, String spec, String role) throws BadDataException {
        List<String> names = parser.getHeaderNames();
        if (header && names.contains(spec)) {
            return names.indexOf(spec);
        }
        if (spec.chars().allMatch(Character::isDigit) && !spec.isEmpty()) {
            int position = Integer.parseInt(spec);
            if (position < 1) {
                throw new BadDataException(file, 0, role + " column positions start at 1, was " + spec);
            }
            return position - 1;
        }
        if (!header) {
            throw new BadDataException(file, 0, "the " + role + " column '" + spec + "' is a name but the file is "
                    + "read without a header; give its position (1, 2, ...)");
        }
        throw new BadDataException(file, 1, "missing column: no " + role + " column '" + spec + "' in the header "
                + names);
    }

    /** The file's bytes, decompressed when they start with the gzip magic number. */
    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file));
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        return first == 0x1f && second == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    }

    /** Builds a {@link LabelledTextReader}; {@link #build()} validates. */
    public static final class Builder {
        private Format format;
        private boolean header = true;
        private String textColumn = "text";
        private String labelColumn = "label";
        private Character quote = '"';
        private boolean skipBadRows;

        private Builder() {
        }

        /** The layout; null (the default) tells it from each file's name. */
        public Builder format(Format format) {
            this.format = format;
            return this;
        }

        /** Whether the first line names the columns (CSV and TSV). Default true. */
        public Builder header(boolean header) {
            this.header = header;
            return this;
        }

        /** The text column: a header name or a 1-based position; a field name in JSON Lines. Default {@code text}. */
        public Builder textColumn(String textColumn) {
            this.textColumn = textColumn;
            return this;
        }

        /** The label column, as {@link #textColumn}. Default {@code label}. */
        public Builder labelColumn(String labelColumn) {
            this.labelColumn = labelColumn;
            return this;
        }

        /** Reads the text column only, for unlabelled text (a language model's): every row's label is empty. */
        public Builder unlabelled() {
            this.labelColumn = null;
            return this;
        }

        /** The quote character of CSV and TSV, or null for none (quotes are then plain text). Default {@code "}. */
        public Builder quote(Character quote) {
            this.quote = quote;
            return this;
        }

        /** Whether bad rows are left out and counted rather than failing the read. Default false. */
        public Builder skipBadRows(boolean skipBadRows) {
            this.skipBadRows = skipBadRows;
            return this;
        }

        /**
         * The reader.
         *
         * @throws IllegalArgumentException if a column is blank or text and label are the same column
         */
        public LabelledTextReader build() {
            Objects.requireNonNull(textColumn, "textColumn");
            if (textColumn.isBlank() || labelColumn != null && (labelColumn.isBlank() || textColumn.equals(labelColumn))) {
                throw new IllegalArgumentException("the text and label columns must be named and differ, were '"
                        + textColumn + "' and '" + labelColumn + "'");
            }
            return new LabelledTextReader(this);
        }
    }
}
