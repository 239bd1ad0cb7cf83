package dev.qrnnstreams.nn.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernels over plain {@code float[]} arrays, written with the {@code jdk.incubator.vector} API so
 * that small chunks need no native call at all.
 *
 * <p>The matrix product is register-blocked: four rows of the left operand against a panel of four
 * vectors of the right operand ({@link WeightMatrix}'s panel layout), so a weight matrix is streamed
 * front to back once per four rows. The
 * activations use the vectorised {@code TANH} of the Vector API, with
 * {@code sigmoid(x) = 0.5 + 0.5 * tanh(x / 2)}.
 *
 * <p>Loading the class warms the matrix kernels up on a tiny matrix, so that the JIT compiles them
 * from short calls. Otherwise the first long product (thousands of weight rows) gets the panel loop
 * compiled on-stack mid-loop with sixteen live vector accumulators, and JDK 17 then kept running
 * that method 10-30 times slower for the life of the JVM (measured in {@code BENCHMARKS.md}).
 */
public final class VectorKernels {
    public static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Width of a weight panel: four vectors, the columns one register-blocked pass produces. */
    public static final int PANEL = 4 * LANES;

    private VectorKernels() {
    }

    /**
     * {@code out[i][j] = sum_p a[i][p] * w[p][j]} for {@code m} rows: {@code a} is
     * {@code m x w.rows()} and {@code out} is {@code m x w.columns()}, both row-major from index 0.
     */
    public static void matmul(float[] a, int m, WeightMatrix w, float[] out) {
        matmul(a, m, w, out, 0, w.columns());
    }

    /**
     * The columns {@code [fromColumn, toColumn)} of {@link #matmul(float[], int, WeightMatrix, float[])}:
     * {@code fromColumn} must be a multiple of {@link #PANEL}, and {@code toColumn} one too or the
     * number of columns.
     */
    public static void matmul(float[] a, int m, WeightMatrix w, float[] out, int fromColumn, int toColumn) {
        int k = w.rows();
        int n = w.columns();
        float[] panels = w.panels();
        int full = WeightMatrix.fullPanelColumns(n);
        for (int j = fromColumn; j < Math.min(toColumn, full); j += PANEL) {
            int base = j * k;
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                panel4x4(a, i, k, panels, base, out, i * n + j, n);
            }
            for (; i < m; i++) {
                panel1x4(a, i, k, panels, base, out, i * n + j);
            }
        }
        int rest = n - full;
        if (rest > 0 && toColumn == n) {
            restColumns(a, m, k, panels, full * k, rest, out, n, full);
        }
    }

    private static void panel4x4(float[] a, int i, int k, float[] w, int base, float[] out, int o, int n) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        int a0 = i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
        for (int p = 0, wp = base; p < k; p++, wp += PANEL) {
            FloatVector w0 = FloatVector.fromArray(SPECIES, w, wp);
            FloatVector w1 = FloatVector.fromArray(SPECIES, w, wp + LANES);
            FloatVector w2 = FloatVector.fromArray(SPECIES, w, wp + 2 * LANES);
            FloatVector w3 = FloatVector.fromArray(SPECIES, w, wp + 3 * LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + p]);
            c00 = w0.fma(x, c00); c01 = w1.fma(x, c01); c02 = w2.fma(x, c02); c03 = w3.fma(x, c03);
            x = FloatVector.broadcast(SPECIES, a[a1 + p]);
            c10 = w0.fma(x, c10); c11 = w1.fma(x, c11); c12 = w2.fma(x, c12); c13 = w3.fma(x, c13);
            x = FloatVector.broadcast(SPECIES, a[a2 + p]);
            c20 = w0.fma(x, c20); c21 = w1.fma(x, c21); c22 = w2.fma(x, c22); c23 = w3.fma(x, c23);
            x = FloatVector.broadcast(SPECIES, a[a3 + p]);
            c30 = w0.fma(x, c30); c31 = w1.fma(x, c31); c32 = w2.fma(x, c32); c33 = w3.fma(x, c33);
        }
        store4(out, o, c00, c01, c02, c03);
        store4(out, o + n, c10, c11, c12, c13);
        store4(out, o + 2 * n, c20, c21, c22, c23);
        store4(out, o + 3 * n, c30, c31, c32, c33);
    }

    private static void panel1x4(float[] a, int i, int k, float[] w, int base, float[] out, int o) {
        FloatVector c0 = FloatVector.zero(SPECIES), c1 = c0, c2 = c0, c3 = c0;
        int a0 = i * k;
        for (int p = 0, wp = base; p < k; p++, wp += PANEL) {
            FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + p]);
            c0 = FloatVector.fromArray(SPECIES, w, wp).fma(x, c0);
            c1 = FloatVector.fromArray(SPECIES, w, wp + LANES).fma(x, c1);
            c2 = FloatVector.fromArray(SPECIES, w, wp + 2 * LANES).fma(x, c2);
            c3 = FloatVector.fromArray(SPECIES, w, wp + 3 * LANES).fma(x, c3);
        }
        store4(out, o, c0, c1, c2, c3);
    }

    /** The columns after the last full panel: a row-major {@code k x rest} block at {@code base}. */
    private static void restColumns(float[] a, int m, int k, float[] w, int base, int rest, float[] out, int n,
                                    int firstColumn) {
        for (int i = 0; i < m; i++) {
            int a0 = i * k;
            int o = i * n + firstColumn;
            int j = 0;
            for (; j + LANES <= rest; j += LANES) {
                FloatVector c = FloatVector.zero(SPECIES);
                for (int p = 0, wp = base + j; p < k; p++, wp += rest) {
                    c = FloatVector.fromArray(SPECIES, w, wp).fma(FloatVector.broadcast(SPECIES, a[a0 + p]), c);
                }
                c.intoArray(out, o + j);
            }
            for (; j < rest; j++) {
                float sum = 0f;
                for (int p = 0, wp = base + j; p < k; p++, wp += rest) {
                    sum = Math.fma(a[a0 + p], w[wp], sum);
                }
                out[o + j] = sum;
            }
        }
    }

    private static void store4(float[] out, int offset, FloatVector v0, FloatVector v1, FloatVector v2,
                               FloatVector v3) {
        v0.intoArray(out, offset);
        v1.intoArray(out, offset + LANES);
        v2.intoArray(out, offset + 2 * LANES);
        v3.intoArray(out, offset + 3 * LANES);
    }

    /** {@code x[from..from+length) = tanh(x + bias[biasFrom..])}, in place. */
    public static void tanhWithBias(float[] x, int from, float[] bias, int biasFrom, int length) {
        int u = 0;
        for (; u + LANES <= length; u += LANES) {
            FloatVector.fromArray(SPECIES, x, from + u)
                    .add(FloatVector.fromArray(SPECIES, bias, biasFrom + u))
                    .lanewise(VectorOperators.TANH)
                    .intoArray(x, from + u);
        }
        for (; u < length; u++) {
            x[from + u] = (float) Math.tanh(x[from + u] + bias[biasFrom + u]);
        }
    }

    /** {@code x[from..from+length) = sigmoid(x + bias[biasFrom..])}, in place. */
    public static void sigmoidWithBias(float[] x, int from, float[] bias, int biasFrom, int length) {
        int u = 0;
        for (; u + LANES <= length; u += LANES) {
            FloatVector.fromArray(SPECIES, x, from + u)
                    .add(FloatVector.fromArray(SPECIES, bias, biasFrom + u))
                    .mul(0.5f)
                    .lanewise(VectorOperators.TANH)
                    .fma(0.5f, 0.5f)
                    .intoArray(x, from + u);
        }
        for (; u < length; u++) {
            x[from + u] = (float) (0.5 + 0.5 * Math.tanh(0.5 * (x[from + u] + bias[biasFrom + u])));
        }
    }

    /** {@code x[from..from+length) = floor + (1 - floor) * x}, in place. */
    public static void raiseFloor(float[] x, int from, float floor, int length) {
        float scale = 1f - floor;
        int u = 0;
        for (; u + LANES <= length; u += LANES) {
            FloatVector.fromArray(SPECIES, x, from + u).fma(scale, floor).intoArray(x, from + u);
        }
        for (; u < length; u++) {
            x[from + u] = Math.fma(x[from + u], scale, floor);
        }
    }

    private static final int WARM_UP_CALLS = 10_000;

    static {
        warmUp();
    }

    /** Runs every branch of {@link #matmul} often enough for a normal (not on-stack) JIT compile. */
    private static void warmUp() {
        int rows = 4;
        int columns = PANEL + LANES + 1;
        WeightMatrix weights = new WeightMatrix(rows, columns, new float[rows * columns]);
        float[] a = new float[5 * rows];
        float[] out = new float[5 * columns];
        for (int call = 0; call < WARM_UP_CALLS; call++) {
            matmul(a, 1 + call % 5, weights, out);
        }
    }
}
