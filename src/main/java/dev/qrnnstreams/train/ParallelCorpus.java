package dev.qrnnstreams.train;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads a sentence-aligned parallel corpus: two files of one sentence per line, line i of one the
 * translation of line i of the other (Multi30k's {@code raw/train.de.gz} and {@code raw/train.en.gz}).
 * Files ending in {@code .gz} are gunzipped; text is UTF-8.
 */
public final class ParallelCorpus {

    private ParallelCorpus() {
    }

    /** A source sentence and its reference translation. */
    public record Pair(String source, String target) {
    }

    /**
     * The pairs of two aligned files.
     *
     * @throws IOException if a file cannot be read or the files have different numbers of lines
     */
    public static List<Pair> read(Path source, Path target) throws IOException {
        List<String> sources = lines(source);
        List<String> targets = lines(target);
        if (sources.size() != targets.size()) {
            throw new IOException(source + " has " + sources.size() + " lines but " + target + " has "
                    + targets.size());
        }
        List<Pair> pairs = new ArrayList<>(sources.size());
        for (int i = 0; i < sources.size(); i++) {
            pairs.add(new Pair(sources.get(i), targets.get(i)));
        }
        return pairs;
    }

    /** The lines of a UTF-8 text file, gunzipped when its name ends in {@code .gz}. */
    public static List<String> lines(Path path) throws IOException {
        try (InputStream raw = Files.newInputStream(path);
             InputStream in = path.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<String> lines = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
            return lines;
        }
    }
}
