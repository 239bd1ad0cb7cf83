package dev.qrnnstreams.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The tokens of a projection model, which keeps no vocabulary: the text is normalised and cut into
 * the pre-tokenizer's pieces (a piece that starts a word carries the word marker), and each piece
 * becomes 64-bit hashes of itself and of its character n-grams.
 *
 * <p>For a piece {@code p}, element 0 is the hash of {@code p}; then come the hashes of every n-gram,
 * {@code minGram <= n <= maxGram}, of {@code p} framed as {@code <p>}, in order of start, then length.
 * Whole pieces and n-grams are hashed with different seeds, so the piece {@code ▁the} and the n-gram
 * {@code the} are different features. N-grams count UTF-16 characters. As with the BPE tokenizer, the
 * pieces of a text are the concatenation of the pieces of its messages when messages end at spaces.
 *
 * <p>The hash is FNV-1a over UTF-16 code units, finished with the MurmurHash3 64-bit mixer; it is part
 * of a trained model, so changing it changes every projection model. Immutable and thread-safe.
 *
 * @param normalizer the normalisation applied before cutting
 * @param minGram the shortest n-gram, at least 1
 * @param maxGram the longest n-gram, at least {@code minGram}
 */
public record PieceHasher(TextNormalizer normalizer, int minGram, int maxGram) {
    private static final long PIECE_SEED = 0xcbf29ce484222325L;
    private static final long GRAM_SEED = 0x84222325cbf29ce4L;
    private static final long FNV_PRIME = 0x100000001b3L;

    /** Validates the fields. */
    public PieceHasher {
        Objects.requireNonNull(normalizer, "normalizer");
        if (minGram < 1 || maxGram < minGram) {
            throw new IllegalArgumentException("need 1 <= minGram <= maxGram, was " + minGram + " and " + maxGram);
        }
    }

    /** The hashes of each piece of {@code text}, in order; empty for a text of only spaces. */
    public List<long[]> hash(String text) {
        List<long[]> pieces = new ArrayList<>();
        PreTokenizer.forEachPiece(normalizer.normalize(text), piece -> pieces.add(hashPiece(piece)));
        return pieces;
    }

    /**
     * The pieces of {@code text}, in order, each of which {@link #hashPiece} turns into the hashes that
     * {@link #hash} gives for it; empty for a text of only spaces.
     */
    public List<String> pieces(String text) {
        return PreTokenizer.pieces(normalizer.normalize(text));
    }

    /** The hashes of one piece: the piece itself, then its framed n-grams. */
    public long[] hashPiece(String piece) {
        String framed = "<" + piece + ">";
        int length = framed.length();
        int count = 1;
        for (int start = 0; start < length; start++) {
            count += Math.max(0, Math.min(maxGram, length - start) - minGram + 1);
        }
        long[] hashes = new long[count];
        hashes[0] = hash(piece, 0, piece.length(), PIECE_SEED);
        int at = 1;
        for (int start = 0; start < length; start++) {
            for (int n = minGram; n <= maxGram && start + n <= length; n++) {
                hashes[at++] = hash(framed, start, start + n, GRAM_SEED);
            }
        }
        return hashes;
    }

    private static long hash(CharSequence text, int from, int to, long seed) {
        long h = seed;
        for (int i = from; i < to; i++) {
            h ^= text.charAt(i);
            h *= FNV_PRIME;
        }
        return mix(h);
    }

    /** The MurmurHash3 finaliser: every input bit affects every output bit. */
    static long mix(long value) {
        long h = value;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
