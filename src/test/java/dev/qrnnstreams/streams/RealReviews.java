package dev.qrnnstreams.streams;

import dev.qrnnstreams.train.ClassificationDataset;
import dev.qrnnstreams.train.LabelledText;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Real movie reviews for the integration tests: the first IMDb training reviews from
 * {@code ../shared/data} where it exists, else the sample of reviews the demo ships.
 */
final class RealReviews {
    private static final Path IMDB = Path.of("..", "shared", "data", "imdb", "train.tsv.gz");
    private static final String SHIPPED = "/demo/reviews.tsv";

    private RealReviews() {
    }

    /** {@code count} reviews, each cut to its first {@code maxWords} words. */
    static List<String> first(int count, int maxWords) {
        List<String> reviews = new ArrayList<>();
        for (String review : all()) {
            if (reviews.size() == count) {
                break;
            }
            String[] words = review.split("\\s+");
            reviews.add(String.join(" ", Arrays.copyOf(words, Math.min(words.length, maxWords))));
        }
        return reviews;
    }

    private static List<String> all() {
        try {
            if (Files.exists(IMDB)) {
                return ClassificationDataset.IMDB.read(IMDB).stream().map(LabelledText::text).toList();
            }
            List<String> reviews = new ArrayList<>();
            try (InputStream in = RealReviews.class.getResourceAsStream(SHIPPED);
                 BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                reader.lines().map(line -> line.substring(line.indexOf('\t') + 1)).forEach(reviews::add);
            }
            return reviews;
        } catch (IOException e) {
            throw new UncheckedIOException("reading reviews failed", e);
        }
    }
}
