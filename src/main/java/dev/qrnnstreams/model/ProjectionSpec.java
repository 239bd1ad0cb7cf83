package dev.qrnnstreams.model;

import dev.qrnnstreams.text.PieceHasher;
import dev.qrnnstreams.text.TextNormalizer;

/**
 * The fixed front of a projection classifier (pQRNN, Kaliamoorthi et al. 2021): how a message's pieces are
 * hashed ({@link PieceHasher}) and how wide their ternary projection is. Nothing here is trained; the
 * trainable bottleneck that follows is {@code bottleneck.weight} and {@code bottleneck.bias} in the weights.
 *
 * @param features ternary features per token, the bottleneck's input width
 * @param minGram the shortest character n-gram hashed
 * @param maxGram the longest character n-gram hashed
 * @param lowercase whether the text is lower-cased before it is cut into pieces
 */
public record ProjectionSpec(int features, int minGram, int maxGram, boolean lowercase) {
    /** Validates the fields. */
    public ProjectionSpec {
        if (features < 1 || minGram < 1 || maxGram < minGram) {
            throw new IllegalArgumentException("need features >= 1 and 1 <= minGram <= maxGram, was " + features
                    + ", " + minGram + " and " + maxGram);
        }
    }

    /** The hasher these settings describe: the standard normalisation, lower-cased if asked. */
    public PieceHasher hasher() {
        return new PieceHasher(TextNormalizer.standard().withLowercase(lowercase), minGram, maxGram);
    }
}
