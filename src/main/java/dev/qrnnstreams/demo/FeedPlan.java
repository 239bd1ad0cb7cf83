package dev.qrnnstreams.demo;

import dev.qrnnstreams.avro.ErrorKind;
import dev.qrnnstreams.train.LabelledText;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * The order in which the demo sends its records: each review cut into messages of a few sentences (the
 * last one ends the segment), German sentences cut in two (the second half ends the segment), the
 * documents of at most {@code keys} keys open at once with their messages interleaved at random (fixed
 * seed), and a handful of bad records spread through the feed. Control characters in the texts (IMDb has
 * stray C1 controls from mis-decoded Windows-1252) become spaces, since the service dead-letters them.
 * Pure: the same corpus gives the same plan. The benchmark harness ({@code perf}) feeds the same plan.
 */
public final class FeedPlan {
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+");
    /** C0 and C1 controls other than tab and line breaks: IMDb's text has a few, the service rejects them. */
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]");
    private static final int MIN_SENTENCES_PER_MESSAGE = 2;
    private static final int MAX_SENTENCES_PER_MESSAGE = 4;
    private static final int SENTENCES_PER_DOCUMENT = 4;
    private static final int UNREGISTERED_SCHEMA_ID = 987_654_321;
    private static final long SEED = 7;

    private FeedPlan() {
    }

    /**
     * The feed for {@code corpus}: reviews dealt to {@code classifiers} in turn, sentences to
     * {@code translator} if there is one, and seven bad records of as many kinds.
     */
    public static List<FeedItem> build(DemoCorpus corpus, List<String> classifiers, Optional<String> translator, int keys,
                                int textMaxChars) {
        SplittableRandom random = new SplittableRandom(SEED);
        List<Deque<FeedItem>> documents = new ArrayList<>();
        for (int r = 0; r < corpus.reviews().size(); r++) {
            documents.add(review(r, corpus.reviews().get(r), classifiers.get(r % classifiers.size()), random));
        }
        translator.ifPresent(model -> insertEvenly(documents, germanDocuments(corpus.sentences(), model)));
        List<FeedItem> feed = interleave(documents, keys, random);
        List<FeedItem> bad = badRecords(classifiers.get(0), textMaxChars);
        int good = feed.size();
        for (int b = bad.size() - 1; b >= 0; b--) {
            feed.add(1 + (int) ((long) (good - 1) * (b + 1) / (bad.size() + 1)), bad.get(b));
        }
        return feed;
    }

    private static Deque<FeedItem> review(int index, LabelledText review, String model, SplittableRandom random) {
        String[] sentences = SENTENCE_END.split(CONTROL.matcher(review.text()).replaceAll(" ").strip());
        Deque<FeedItem> messages = new ArrayDeque<>();
        String key = "review-" + index;
        for (int from = 0, m = 0; from < sentences.length; m++) {
            int to = Math.min(sentences.length,
                    from + random.nextInt(MIN_SENTENCES_PER_MESSAGE, MAX_SENTENCES_PER_MESSAGE + 1));
            String text = String.join(" ", Arrays.copyOfRange(sentences, from, to));
            messages.add(FeedItem.reviewMessage(key, "r" + index + "-" + m, text, model, to == sentences.length,
                    index, review.label()));
            from = to;
        }
        return messages;
    }

    private static List<Deque<FeedItem>> germanDocuments(List<String> sentences, String model) {
        List<Deque<FeedItem>> documents = new ArrayList<>();
        for (int first = 0; first < sentences.size(); first += SENTENCES_PER_DOCUMENT) {
            int document = first / SENTENCES_PER_DOCUMENT;
            Deque<FeedItem> messages = new ArrayDeque<>();
            for (int s = first; s < Math.min(sentences.size(), first + SENTENCES_PER_DOCUMENT); s++) {
                String[] words = sentences.get(s).split(" ");
                int half = (words.length + 1) / 2;
                String key = "de-" + document;
                String id = "d" + document + "-" + (s - first);
                if (half < words.length) {
                    messages.add(FeedItem.sentenceMessage(key, id + "a",
                            String.join(" ", Arrays.copyOfRange(words, 0, half)), model, false));
                }
                messages.add(FeedItem.sentenceMessage(key, id + "b",
                        String.join(" ", Arrays.copyOfRange(words, half < words.length ? half : 0, words.length)),
                        model, true));
            }
            documents.add(messages);
        }
        return documents;
    }

    private static void insertEvenly(List<Deque<FeedItem>> documents, List<Deque<FeedItem>> extra) {
        int base = documents.size();
        for (int i = extra.size() - 1; i >= 0; i--) {
            documents.add((int) ((long) base * (i + 1) / (extra.size() + 1)), extra.get(i));
        }
    }

    private static List<FeedItem> interleave(List<Deque<FeedItem>> documents, int keys, SplittableRandom random) {
        List<FeedItem> feed = new ArrayList<>();
        List<Deque<FeedItem>> open = new ArrayList<>();
        int next = 0;
        while (next < documents.size() || !open.isEmpty()) {
            while (open.size() < keys && next < documents.size()) {
                open.add(documents.get(next++));
            }
            int slot = random.nextInt(open.size());
            Deque<FeedItem> document = open.get(slot);
            feed.add(document.removeFirst());
            if (document.isEmpty()) {
                open.remove(slot);
            }
        }
        return feed;
    }

    private static List<FeedItem> badRecords(String model, int textMaxChars) {
        byte[] unregisteredSchema = ByteBuffer.allocate(9).put((byte) 0).putInt(UNREGISTERED_SCHEMA_ID)
                .putInt(42).array();
        return List.of(
                FeedItem.badBytes("bad-bytes", "this is not Avro".getBytes(StandardCharsets.UTF_8),
                        ErrorKind.DESERIALIZATION),
                FeedItem.badEvent("bad-empty", "bad-empty", "", model, ErrorKind.EMPTY_TEXT),
                FeedItem.badEvent("bad-model", "bad-model", "Which model is this?", "no-such-model",
                        ErrorKind.UNKNOWN_MODEL),
                FeedItem.badBytes("bad-schema", unregisteredSchema, ErrorKind.UNKNOWN_SCHEMA),
                FeedItem.badEvent("bad-large", "bad-large", "a".repeat(textMaxChars + 1), model,
                        ErrorKind.TEXT_TOO_LARGE),
                FeedItem.badEvent("bad-control", "bad-control", "a bell \u0007 in the text", model,
                        ErrorKind.INVALID_CHARACTERS),
                FeedItem.badEvent(null, "bad-no-key", "A message without a key.", model, ErrorKind.MISSING_KEY));
    }
}
