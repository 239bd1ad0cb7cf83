package dev.qrnnstreams.nn.kernel;

import dev.qrnnstreams.nn.QrnnLayerSpec;

import java.util.Objects;

/** Helpers for chunks (row-major {@code T x width} values, one row per timestep) and other row-major matrices. */
public final class Chunks {

    private Chunks() {
    }

    /**
     * The number of timesteps in {@code chunk}.
     *
     * @throws IllegalArgumentException if the chunk does not hold whole timesteps
     */
    public static int timesteps(float[] chunk, int inputSize) {
        Objects.requireNonNull(chunk, "chunk");
        if (chunk.length % inputSize != 0) {
            throw new IllegalArgumentException("a chunk of " + chunk.length + " values does not hold whole "
                    + inputSize + "-feature timesteps");
        }
        return chunk.length / inputSize;
    }

    /** The rows of {@code left} and {@code right} side by side: {@code rows x (leftWidth + rightWidth)}. */
    public static float[] concatenateRows(float[] left, int leftWidth, float[] right, int rightWidth, int rows) {
        int width = leftWidth + rightWidth;
        float[] joined = new float[rows * width];
        for (int t = 0; t < rows; t++) {
            System.arraycopy(left, t * leftWidth, joined, t * width, leftWidth);
            System.arraycopy(right, t * rightWidth, joined, t * width + leftWidth, rightWidth);
        }
        return joined;
    }

    /**
     * Writes, from row {@code firstRow} of {@code target}, one row per timestep of {@code input}: the
     * convolution window {@code [x_{t-k+1}; ...; x_t]}, whose inputs before the chunk come from
     * {@code carried} (the last {@code k - 1} inputs, oldest first).
     */
    public static void layOutWindows(QrnnLayerSpec spec, float[] carried, float[] input, int length, float[] target,
                              int firstRow) {
        int in = spec.inputSize();
        int k = spec.window();
        int rowWidth = spec.convolutionRows();
        for (int t = 0; t < length; t++) {
            int dst = (firstRow + t) * rowWidth;
            for (int tap = 0; tap < k; tap++) {
                int source = t - (k - 1) + tap;
                if (source < 0) {
                    System.arraycopy(carried, (source + k - 1) * in, target, dst + tap * in, in);
                } else {
                    System.arraycopy(input, source * in, target, dst + tap * in, in);
                }
            }
        }
    }

    /** The {@code columns x rows} transpose of a row-major {@code rows x columns} matrix. */
    public static float[] transpose(float[] matrix, int rows, int columns) {
        float[] transposed = new float[matrix.length];
        for (int r0 = 0; r0 < rows; r0 += TRANSPOSE_TILE) {
            int r1 = Math.min(rows, r0 + TRANSPOSE_TILE);
            for (int c0 = 0; c0 < columns; c0 += TRANSPOSE_TILE) {
                int c1 = Math.min(columns, c0 + TRANSPOSE_TILE);
                for (int r = r0; r < r1; r++) {
                    for (int c = c0; c < c1; c++) {
                        transposed[c * rows + r] = matrix[r * columns + c];
                    }
                }
            }
        }
        return transposed;
    }

    /** Side of the square tiles {@link #transpose} walks, so both matrices are touched a cache line at a time. */
    private static final int TRANSPOSE_TILE = 32;
}
