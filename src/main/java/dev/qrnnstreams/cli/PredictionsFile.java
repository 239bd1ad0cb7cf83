package dev.qrnnstreams.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code eval}'s per-text results: JSON Lines for a name ending in {@code .jsonl}, else TSV with a
 * header of the rows' keys, tabs and line breaks inside a value turned into spaces.
 */
final class PredictionsFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PredictionsFile() {
    }

    /** Writes {@code rows}, all with the same keys in the same order, to {@code file}. */
    static void write(Path file, List<Map<String, Object>> rows) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        boolean json = file.getFileName().toString().endsWith(".jsonl");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            if (!json && !rows.isEmpty()) {
                out.write(String.join("\t", rows.get(0).keySet()));
                out.newLine();
            }
            for (Map<String, Object> row : rows) {
                if (json) {
                    out.write(JSON.writeValueAsString(row));
                } else {
                    out.write(String.join("\t", row.values().stream()
                            .map(value -> String.valueOf(value).replaceAll("[\\t\\r\\n]", " ")).toList()));
                }
                out.newLine();
            }
        }
    }
}
