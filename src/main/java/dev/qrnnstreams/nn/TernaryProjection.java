package dev.qrnnstreams.nn;

import java.util.List;

/**
 * The projection of a PRADO/pQRNN-style model (Kaliamoorthi, Ravi, Kozareva, EMNLP 2019): a token's
 * hashes become a fixed ternary feature vector, with no vocabulary and nothing trained.
 *
 * <p>Feature {@code i} of one 64-bit hash {@code h} reads two bits of the word
 * {@code w_j = splitmix64(h + (j + 1) * 0x9E3779B97F4A7C15)}, {@code j = i / 32}, at bit {@code 2 (i mod 32)}:
 * {@code 00 -> 0, 01 -> +1, 10 -> -1, 11 -> 0}, so a feature is 0 with probability 1/2 and +1 or -1
 * with probability 1/4 each. A token with several hashes (itself and its character n-grams) is the
 * sum of their vectors divided by {@code sqrt(count)}, which keeps each feature's variance at 1/2
 * whatever the count.
 *
 * <p>Immutable and thread-safe.
 */
public final class TernaryProjection {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final int features;

    /** A projection to {@code features} values per token. */
    public TernaryProjection(int features) {
        QrnnLayerSpec.requirePositive(features, "features");
        this.features = features;
    }

    /** Values per token. */
    public int features() {
        return features;
    }

    /** The feature rows of a token sequence, one per element of {@code tokens}: {@code T x features}. */
    public float[] project(List<long[]> tokens) {
        float[] rows = new float[Math.multiplyExact(tokens.size(), features)];
        for (int t = 0; t < tokens.size(); t++) {
            project(tokens.get(t), rows, t * features);
        }
        return rows;
    }

    /** Writes the features of one token with {@code hashes} to {@code out} from {@code offset}. */
    public void project(long[] hashes, float[] out, int offset) {
        if (hashes.length == 0) {
            throw new IllegalArgumentException("a token needs at least one hash");
        }
        float scale = (float) (1.0 / Math.sqrt(hashes.length));
        for (long hash : hashes) {
            for (int j = 0; j * 32 < features; j++) {
                long word = mix(hash + (j + 1) * GOLDEN_GAMMA);
                int last = Math.min(features, (j + 1) * 32);
                for (int i = j * 32; i < last; i++) {
                    int bits = (int) (word >>> (2 * (i - j * 32))) & 3;
                    out[offset + i] += bits == 1 ? scale : bits == 2 ? -scale : 0f;
                }
            }
        }
    }

    /** The SplitMix64 finaliser (Steele, Lea, Flood 2014, variant 13 of Stafford's mixers). */
    private static long mix(long value) {
        long z = (value ^ (value >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
