package dev.qrnnstreams.nn;

import java.util.Objects;

/** Helpers for chunks: row-major {@code T x width} values, one row per timestep. */
final class Chunks {

    private Chunks() {
    }

    /**
     * The number of timesteps in {@code chunk}.
     *
     * @throws IllegalArgumentException if the chunk does not hold whole timesteps
     */
    static int timesteps(float[] chunk, int inputSize) {
        Objects.requireNonNull(chunk, "chunk");
        if (chunk.length % inputSize != 0) {
            throw new IllegalArgumentException("a chunk of " + chunk.length + " values does not hold whole "
                    + inputSize + "-feature timesteps");
        }
        return chunk.length / inputSize;
    }

    /** The rows of {@code left} and {@code right} side by side: {@code rows x (leftWidth + rightWidth)}. */
    static float[] concatenateRows(float[] left, int leftWidth, float[] right, int rightWidth, int rows) {
        int width = leftWidth + rightWidth;
        float[] joined = new float[rows * width];
        for (int t = 0; t < rows; t++) {
            System.arraycopy(left, t * leftWidth, joined, t * width, leftWidth);
            System.arraycopy(right, t * rightWidth, joined, t * width + leftWidth, rightWidth);
        }
        return joined;
    }
}
