package dev.qrnnstreams.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Learns a byte-pair encoding (Sennrich, Haddow, Birch, "Neural Machine Translation of Rare Words with
 * Subword Units", ACL 2016) from a corpus.
 *
 * <p>Training normalises every text, splits it into pieces and counts the distinct pieces. The alphabet
 * is every code point occurring at least {@code minCharacterFrequency} times (the word marker U+2581
 * always); if it does not fit the vocabulary, the most frequent code points are kept (ties: lower code
 * point first). Alphabet tokens get ids in code point order. Merges are then learned over the distinct
 * pieces weighted by their counts: repeatedly the most frequent adjacent pair is merged, ties broken by
 * the left token's text and then the right token's text, smallest first by {@link String#compareTo}
 * (UTF-16 code units), until the vocabulary holds {@code vocabularySize} tokens or the most frequent pair
 * occurs fewer than {@code minPairFrequency} times. Both the alphabet and the merges depend only on the
 * piece counts, so the same multiset of texts with the same settings gives the same vocabulary in any
 * order.
 *
 * <p>Immutable and thread-safe; each {@link #train} call is independent and single-threaded.
 */
public final class BpeTrainer {
    private final int vocabularySize;
    private final long minPairFrequency;
    private final long minCharacterFrequency;
    private final TextNormalizer normalizer;

    private BpeTrainer(Builder builder) {
        this.vocabularySize = builder.vocabularySize;
        this.minPairFrequency = builder.minPairFrequency;
        this.minCharacterFrequency = builder.minCharacterFrequency;
        this.normalizer = builder.normalizer;
    }

    /** A builder with vocabulary size 8,000, minimum pair frequency 2, and the standard normaliser. */
    public static Builder builder() {
        return new Builder();
    }

    /** The largest vocabulary to learn, reserved tokens included. */
    public int vocabularySize() {
        return vocabularySize;
    }

    /** The least count of a pair worth merging. */
    public long minPairFrequency() {
        return minPairFrequency;
    }

    /** The least count of a code point to enter the alphabet; rarer ones use byte fallback. */
    public long minCharacterFrequency() {
        return minCharacterFrequency;
    }

    /** The normaliser applied to the corpus and stored in the trained tokenizer. */
    public TextNormalizer normalizer() {
        return normalizer;
    }

    /** Learns a tokenizer from {@code texts}; each element is one document, read once. */
    public BpeTokenizer train(Iterable<String> texts) {
        PieceCounts counts = new PieceCounts();
        for (String text : texts) {
            counts.addNormalized(normalizer.normalize(text));
        }
        return train(counts);
    }

    BpeTokenizer train(PieceCounts pieceCounts) {
        Map<String, long[]> counts = pieceCounts.counts();
        List<Integer> alphabet = alphabet(counts);
        List<String> initialTexts = new ArrayList<>(Vocabulary.FIRST_PIECE_ID + alphabet.size());
        Vocabulary reserved = Vocabulary.of(List.of(), List.of());
        initialTexts.addAll(reserved.tokens());
        Map<Integer, Integer> alphabetIds = new HashMap<>();
        for (int codePoint : alphabet) {
            alphabetIds.put(codePoint, initialTexts.size());
            initialTexts.add(Character.toString(codePoint));
        }
        List<int[]> words = new ArrayList<>();
        List<Long> frequencies = new ArrayList<>();
        for (Map.Entry<String, long[]> entry : counts.entrySet()) {
            String piece = entry.getKey();
            if (piece.codePointCount(0, piece.length()) > 1) {
                words.add(piece.codePoints().map(cp -> alphabetIds.getOrDefault(cp, -1)).toArray());
                frequencies.add(entry.getValue()[0]);
            }
        }
        MergeLearner learner = new MergeLearner(initialTexts, words.toArray(new int[0][]),
                frequencies.stream().mapToLong(Long::longValue).toArray());
        List<Merge> merges = learner.learn(vocabularySize, minPairFrequency);
        List<String> texts = learner.texts();
        Vocabulary vocabulary = Vocabulary.of(texts.subList(Vocabulary.FIRST_PIECE_ID, texts.size()), merges);
        return new BpeTokenizer(normalizer, vocabulary);
    }

    private List<Integer> alphabet(Map<String, long[]> counts) {
        Map<Integer, Long> characterCounts = new HashMap<>();
        counts.forEach((piece, count) -> piece.codePoints()
                .forEach(cp -> characterCounts.merge(cp, count[0], Long::sum)));
        List<Integer> candidates = new ArrayList<>();
        characterCounts.forEach((codePoint, count) -> {
            if (count >= minCharacterFrequency && codePoint != PreTokenizer.WORD_MARKER) {
                candidates.add(codePoint);
            }
        });
        candidates.sort(Comparator.<Integer>comparingLong(characterCounts::get).reversed()
                .thenComparing(Comparator.naturalOrder()));
        int budget = vocabularySize - Vocabulary.FIRST_PIECE_ID - 1;
        List<Integer> alphabet = new ArrayList<>(candidates.subList(0, Math.min(budget, candidates.size())));
        alphabet.add((int) PreTokenizer.WORD_MARKER);
        alphabet.sort(Comparator.naturalOrder());
        return alphabet;
    }

    /** Builds a {@link BpeTrainer}; validation happens in {@link #build()}. */
    public static final class Builder {
        /** The largest vocabulary size accepted, about 16.7 million tokens. */
        public static final int MAX_VOCABULARY_SIZE = 1 << 24;

        private int vocabularySize = 8_000;
        private long minPairFrequency = 2;
        private long minCharacterFrequency = 1;
        private TextNormalizer normalizer = TextNormalizer.standard();

        private Builder() {
        }

        /**
         * The largest vocabulary, reserved tokens included (default 8,000); at least
         * {@link Vocabulary#FIRST_PIECE_ID} + 1 so the word marker fits.
         */
        public Builder vocabularySize(int value) {
            vocabularySize = value;
            return this;
        }

        /** The least count of a pair worth merging, at least 1 (default 2). */
        public Builder minPairFrequency(long value) {
            minPairFrequency = value;
            return this;
        }

        /** The least count of a code point to enter the alphabet, at least 1 (default 1). */
        public Builder minCharacterFrequency(long value) {
            minCharacterFrequency = value;
            return this;
        }

        /** The normaliser for the corpus and the trained tokenizer (default {@link TextNormalizer#standard()}). */
        public Builder normalizer(TextNormalizer value) {
            normalizer = value;
            return this;
        }

        /** Validates and builds. */
        public BpeTrainer build() {
            if (vocabularySize <= Vocabulary.FIRST_PIECE_ID || vocabularySize > MAX_VOCABULARY_SIZE) {
                throw new IllegalArgumentException("vocabularySize must be in [" + (Vocabulary.FIRST_PIECE_ID + 1)
                        + ", " + MAX_VOCABULARY_SIZE + "] (4 special and 256 byte tokens are reserved): "
                        + vocabularySize);
            }
            if (minPairFrequency < 1) {
                throw new IllegalArgumentException("minPairFrequency must be >= 1: " + minPairFrequency);
            }
            if (minCharacterFrequency < 1) {
                throw new IllegalArgumentException("minCharacterFrequency must be >= 1: " + minCharacterFrequency);
            }
            Objects.requireNonNull(normalizer, "normalizer");
            return new BpeTrainer(this);
        }
    }
}
