package dev.qrnnstreams.demo;

import dev.qrnnstreams.train.ClassificationDataset;
import dev.qrnnstreams.train.LabelledText;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * The text the demo feeds: labelled reviews and German sentences, from the files the user names or, where
 * those are absent, from the small sample the project ships in {@code demo/} on the class path (reviews and
 * sentences written for this project).
 *
 * @param reviews the reviews to classify, in feeding order
 * @param sentences the German sentences to translate, in feeding order
 * @param source where the texts came from, in words
 */
public record DemoCorpus(List<LabelledText> reviews, List<String> sentences, String source) {
    private static final String BUNDLED_REVIEWS = "/demo/reviews.tsv";
    private static final String BUNDLED_SENTENCES = "/demo/sentences.de.txt";
    private static final long SAMPLE_SEED = 20_170_425L;

    /** Copies the lists. */
    public DemoCorpus {
        reviews = List.copyOf(reviews);
        sentences = List.copyOf(sentences);
    }

    /**
     * Reads up to {@code reviewCount} reviews and {@code sentenceCount} sentences. IMDb reviews are the
     * {@code devSplit} of the file when a classifier records one (texts it was not trained on), else a
     * sample shuffled with a fixed seed.
     */
    public static DemoCorpus load(Path reviewsFile, int reviewCount, Optional<DemoModels.DevSplit> devSplit,
                                  Path sentencesFile, int sentenceCount) throws IOException {
        List<LabelledText> reviews;
        String reviewSource;
        if (Files.isRegularFile(reviewsFile)) {
            List<LabelledText> all = ClassificationDataset.IMDB.read(reviewsFile);
            if (devSplit.isPresent()) {
                reviews = LabelledText.split(all, devSplit.get().fraction(), devSplit.get().seed()).dev();
                reviewSource = reviewsFile + " (dev split, seed " + devSplit.get().seed() + ")";
            } else {
                reviews = new ArrayList<>(all);
                Collections.shuffle(reviews, new Random(SAMPLE_SEED));
                reviewSource = reviewsFile + " (sample, seed " + SAMPLE_SEED + ")";
            }
        } else {
            reviews = bundledReviews();
            reviewSource = "the bundled sample (" + reviewsFile + " is absent)";
        }
        List<String> sentences;
        String sentenceSource;
        if (sentenceCount == 0) {
            sentences = List.of();
            sentenceSource = "none";
        } else if (Files.isRegularFile(sentencesFile)) {
            try (InputStream in = open(sentencesFile)) {
                sentences = lines(in);
            }
            sentenceSource = sentencesFile.toString();
        } else {
            sentences = bundledLines(BUNDLED_SENTENCES);
            sentenceSource = "the bundled sample (" + sentencesFile + " is absent)";
        }
        return new DemoCorpus(first(reviews, reviewCount), first(sentences, sentenceCount),
                "reviews from " + reviewSource + "; German sentences from " + sentenceSource);
    }

    private static List<LabelledText> bundledReviews() throws IOException {
        List<LabelledText> reviews = new ArrayList<>();
        for (String line : bundledLines(BUNDLED_REVIEWS)) {
            int tab = line.indexOf('\t');
            reviews.add(new LabelledText(line.substring(tab + 1), Integer.parseInt(line.substring(0, tab))));
        }
        return reviews;
    }

    private static List<String> bundledLines(String resource) throws IOException {
        try (InputStream in = DemoCorpus.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("the bundled sample " + resource + " is missing from the class path");
            }
            return lines(in);
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
    }

    private static List<String> lines(InputStream in) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        return reader.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    private static <T> List<T> first(List<T> items, int count) {
        return items.subList(0, Math.min(count, items.size()));
    }
}
