package dev.qrnnstreams.nn;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A learned lookup table from token ids to dense vectors: row {@code id} of a
 * {@code vocabularySize x dimension} row-major matrix. The first stage of a QRNN text model.
 *
 * <p>Immutable and thread-safe.
 */
public final class EmbeddingTable {
    private final int vocabularySize;
    private final int dimension;
    private final float[] vectors;

    /**
     * Wraps a row-major table, copying it.
     *
     * @throws IllegalArgumentException if the sizes are not positive or the table length differs
     */
    public EmbeddingTable(int vocabularySize, int dimension, float[] vectors) {
        QrnnLayerSpec.requirePositive(vocabularySize, "vocabularySize");
        QrnnLayerSpec.requirePositive(dimension, "dimension");
        Objects.requireNonNull(vectors, "vectors");
        if (vectors.length != (long) vocabularySize * dimension) {
            throw new IllegalArgumentException("table must have " + (long) vocabularySize * dimension
                    + " entries, has " + vectors.length);
        }
        this.vocabularySize = vocabularySize;
        this.dimension = dimension;
        this.vectors = vectors.clone();
    }

    /** A table drawn from a normal distribution with standard deviation {@code scale}. */
    public static EmbeddingTable gaussian(int vocabularySize, int dimension, double scale, RandomGenerator random) {
        float[] vectors = new float[Math.multiplyExact(vocabularySize, dimension)];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = (float) (random.nextGaussian() * scale);
        }
        return new EmbeddingTable(vocabularySize, dimension, vectors);
    }

    /** Number of token ids, {@code 0 .. vocabularySize - 1}. */
    public int vocabularySize() {
        return vocabularySize;
    }

    /** Width of each vector. */
    public int dimension() {
        return dimension;
    }

    /**
     * The vectors of {@code tokens}, one row each: a chunk ready for {@link QrnnBackend#step}.
     *
     * @throws IllegalArgumentException if a token id is outside the vocabulary
     */
    public float[] lookup(int[] tokens) {
        float[] out = new float[Math.multiplyExact(tokens.length, dimension)];
        for (int t = 0; t < tokens.length; t++) {
            int id = tokens[t];
            if (id < 0 || id >= vocabularySize) {
                throw new IllegalArgumentException("token id " + id + " at position " + t
                        + " is outside the vocabulary of " + vocabularySize);
            }
            System.arraycopy(vectors, id * dimension, out, t * dimension, dimension);
        }
        return out;
    }

    /** A copy of the row-major table. */
    public float[] vectors() {
        return vectors.clone();
    }

    /**
     * The backward pass of {@link #lookup}: adds row t of {@code dVectors} ({@code tokens.length x
     * dimension}) to row {@code tokens[t]} of {@code gradient} ({@code vocabularySize x dimension}).
     */
    public void accumulateGradient(int[] tokens, float[] dVectors, float[] gradient) {
        if (dVectors.length != tokens.length * dimension || gradient.length != vectors.length) {
            throw new IllegalArgumentException("expected " + tokens.length * dimension + " vector gradients and a "
                    + vectors.length + "-value table gradient");
        }
        for (int t = 0; t < tokens.length; t++) {
            if (tokens[t] < 0 || tokens[t] >= vocabularySize) {
                throw new IllegalArgumentException("token id " + tokens[t] + " is outside the vocabulary");
            }
            int row = tokens[t] * dimension;
            for (int i = 0; i < dimension; i++) {
                gradient[row + i] += dVectors[t * dimension + i];
            }
        }
    }
}
