package dev.qrnnstreams.perf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A table of raw numbers written as RFC 4180 CSV: a header line, then one line per row. Numbers are
 * written with {@link Locale#ROOT} (a dot as decimal separator, no grouping); a cell holding a comma, a
 * quote or a line break is quoted.
 *
 * @param header the column names
 * @param rows the rows, each as long as the header
 */
public record CsvTable(List<String> header, List<List<String>> rows) {

    /** Copies the lists and checks the row lengths. */
    public CsvTable {
        header = List.copyOf(header);
        rows = rows.stream().map(List::copyOf).toList();
        for (List<String> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("a row of " + row.size() + " cells under " + header.size()
                        + " columns");
            }
        }
    }

    /** An empty table with {@code columns}. */
    public static CsvTable of(String... columns) {
        return new CsvTable(List.of(columns), List.of());
    }

    /** A copy with one more row: strings as they are, floating-point numbers with up to 4 decimals. */
    public CsvTable withRow(Object... cells) {
        List<String> row = new ArrayList<>(cells.length);
        for (Object cell : cells) {
            row.add(cell instanceof Double || cell instanceof Float
                    ? String.format(Locale.ROOT, "%.4f", ((Number) cell).doubleValue()).replaceAll("\\.?0+$", "")
                    : String.valueOf(cell));
        }
        List<List<String>> more = new ArrayList<>(rows);
        more.add(row);
        return new CsvTable(header, more);
    }

    /** The table as CSV text, lines ending in CRLF as RFC 4180 says. */
    public String text() {
        StringBuilder out = new StringBuilder();
        line(out, header);
        rows.forEach(row -> line(out, row));
        return out.toString();
    }

    /** Writes {@link #text} to {@code file} in UTF-8. */
    public void write(Path file) throws IOException {
        Files.writeString(file, text(), StandardCharsets.UTF_8);
    }

    private static void line(StringBuilder out, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            out.append(i == 0 ? "" : ",").append(quoted(cells.get(i)));
        }
        out.append("\r\n");
    }

    private static String quoted(String cell) {
        boolean quote = cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0
                || cell.indexOf('\r') >= 0;
        return quote ? '"' + cell.replace("\"", "\"\"") + '"' : cell;
    }
}
