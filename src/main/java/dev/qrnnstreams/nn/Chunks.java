package dev.qrnnstreams.nn;

import java.util.Objects;

/** Checks on chunks: row-major {@code T x inputSize} values, one row per timestep. */
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
}
