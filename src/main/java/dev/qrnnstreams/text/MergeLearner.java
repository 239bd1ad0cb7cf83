package dev.qrnnstreams.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The merge loop of byte-pair training over distinct pieces with counts.
 *
 * <p>Pair counts are kept incrementally: each pair knows its count (summed over piece frequencies) and
 * the pieces it may occur in. A merge rewrites only those pieces and adjusts the counts of the pairs
 * around each occurrence, so the cost of a merge is proportional to its occurrences, not to the corpus.
 * The next pair comes from a priority queue ordered by count (highest first), then by the left token's
 * text, then by the right token's text ({@link String#compareTo}, smallest first). Entries are checked
 * lazily: an entry whose count is stale is re-queued with the current count when it reaches the top.
 * This is exact because a pair's count only ever falls, except for pairs containing the newly merged
 * token, which are queued afresh after each merge.
 *
 * <p>Single use and not thread-safe; {@link BpeTrainer} creates one per training run.
 */
final class MergeLearner {
    private static final int[] NO_WORDS = new int[0];

    private final List<String> texts;
    private final Map<String, Integer> ids;
    private final int[][] words;
    private final int[] lengths;
    private final long[] frequencies;
    private final Map<Long, Pair> pairs = new HashMap<>();
    private final PriorityQueue<Candidate> queue;
    private final List<Merge> merges = new ArrayList<>();
    private final Set<Long> mergedPairs = new HashSet<>();
    private final List<Pair> touched = new ArrayList<>();
    private int stamp;

    /**
     * @param initialTexts token texts of ids 0 to n-1: the reserved tokens, then the alphabet from
     *     {@link Vocabulary#FIRST_PIECE_ID}
     * @param words the symbol ids of each distinct piece; -1 marks a character outside the alphabet,
     *     which never merges. The arrays are rewritten in place.
     * @param frequencies how often each piece occurs
     */
    MergeLearner(List<String> initialTexts, int[][] words, long[] frequencies) {
        this.texts = new ArrayList<>(initialTexts);
        this.ids = new HashMap<>();
        for (int id = Vocabulary.FIRST_PIECE_ID; id < texts.size(); id++) {
            ids.put(texts.get(id), id);
        }
        this.words = words;
        this.frequencies = frequencies;
        this.lengths = new int[words.length];
        for (int w = 0; w < words.length; w++) {
            lengths[w] = words[w].length;
        }
        Comparator<Candidate> order = Comparator.<Candidate>comparingLong(c -> c.count).reversed()
                .thenComparing(c -> texts.get(c.pair.left))
                .thenComparing(c -> texts.get(c.pair.right));
        this.queue = new PriorityQueue<>(order);
    }

    /**
     * Learns merges until the token count reaches {@code tokenLimit} or the most frequent pair occurs
     * fewer than {@code minPairFrequency} times.
     *
     * @return the merges in the order learned
     */
    List<Merge> learn(int tokenLimit, long minPairFrequency) {
        countInitialPairs();
        while (texts.size() < tokenLimit) {
            Candidate top = queue.poll();
            if (top == null) {
                break;
            }
            Pair pair = top.pair;
            if (top.count != pair.count) {
                if (pair.count > 0) {
                    queue.add(new Candidate(pair));
                }
                continue;
            }
            if (pair.count < minPairFrequency) {
                break;
            }
            apply(pair);
        }
        return List.copyOf(merges);
    }

    /** All token texts by id after {@link #learn}: the initial ones, then the merged ones. */
    List<String> texts() {
        return List.copyOf(texts);
    }

    private void countInitialPairs() {
        stamp++;
        for (int w = 0; w < words.length; w++) {
            int[] symbols = words[w];
            for (int i = 0; i + 1 < lengths[w]; i++) {
                add(symbols[i], symbols[i + 1], frequencies[w], w);
            }
        }
        queueTouched();
    }

    private void apply(Pair pair) {
        int left = pair.left;
        int right = pair.right;
        String text = texts.get(left) + texts.get(right);
        Integer existing = ids.get(text);
        int merged;
        if (existing == null) {
            merged = texts.size();
            texts.add(text);
            ids.put(text, merged);
        } else {
            merged = existing;
        }
        if (mergedPairs.add(BpeTokenizer.pairKey(left, right))) {
            merges.add(new Merge(texts.get(left), texts.get(right)));
        }
        int[] candidates = pair.words;
        int count = pair.size;
        pair.words = NO_WORDS;
        pair.size = 0;
        pair.lastWord = -1;
        stamp++;
        for (int k = 0; k < count; k++) {
            rewrite(candidates[k], left, right, merged);
        }
        queueTouched();
    }

    /** Replaces every occurrence of (left, right) in piece {@code w}, left to right, and updates counts. */
    private void rewrite(int w, int left, int right, int merged) {
        int[] symbols = words[w];
        int length = lengths[w];
        long frequency = frequencies[w];
        int written = 0;
        int read = 0;
        while (read < length) {
            if (read + 1 < length && symbols[read] == left && symbols[read + 1] == right) {
                if (written > 0) {
                    int previous = symbols[written - 1];
                    add(previous, left, -frequency, w);
                    add(previous, merged, frequency, w);
                }
                if (read + 2 < length) {
                    int next = symbols[read + 2];
                    add(right, next, -frequency, w);
                    add(merged, next, frequency, w);
                }
                add(left, right, -frequency, w);
                symbols[written++] = merged;
                read += 2;
            } else {
                symbols[written++] = symbols[read++];
            }
        }
        lengths[w] = written;
    }

    private void add(int left, int right, long delta, int w) {
        if (left < 0 || right < 0) {
            return;
        }
        long key = BpeTokenizer.pairKey(left, right);
        Pair pair = pairs.get(key);
        if (pair == null) {
            if (delta < 0) {
                throw new IllegalStateException("count of an absent pair would fall");
            }
            pair = new Pair(left, right);
            pairs.put(key, pair);
        }
        pair.count += delta;
        if (delta > 0) {
            pair.addWord(w);
            if (pair.stamp != stamp) {
                pair.stamp = stamp;
                touched.add(pair);
            }
        } else if (pair.count == 0) {
            pairs.remove(key);
        }
    }

    private void queueTouched() {
        for (Pair pair : touched) {
            if (pair.count > 0) {
                queue.add(new Candidate(pair));
            }
        }
        touched.clear();
    }

    /** An adjacent pair of token ids with its count and the pieces it may occur in. */
    private static final class Pair {
        final int left;
        final int right;
        long count;
        int[] words = new int[2];
        int size;
        int lastWord = -1;
        int stamp;

        Pair(int left, int right) {
            this.left = left;
            this.right = right;
        }

        void addWord(int w) {
            if (lastWord == w) {
                return;
            }
            if (size == words.length) {
                words = Arrays.copyOf(words, Math.max(2, size * 2));
            }
            words[size++] = w;
            lastWord = w;
        }
    }

    /** A queue entry: a pair with its count when queued. */
    private static final class Candidate {
        final Pair pair;
        final long count;

        Candidate(Pair pair) {
            this.pair = pair;
            this.count = pair.count;
        }
    }
}
