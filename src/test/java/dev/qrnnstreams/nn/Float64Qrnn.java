package dev.qrnnstreams.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * An independent float64 reference of a QRNN stack's full-sequence forward pass from the zero state,
 * written as plain loops straight from Bradbury, Merity, Xiong, Socher, "Quasi-Recurrent Neural
 * Networks", ICLR 2017, equations 1 to 4, and section 2.1 for zoneout and dense connections.
 *
 * <p>It calls no production kernel: parameters are read through {@link QrnnLayer#packedWeights()},
 * {@link QrnnLayer#bias()} and {@link QrnnLayer#spec()} only, and indexed by the layout the
 * {@link QrnnLayer} Javadoc documents (row {@code tap * inputSize + i}, tap 0 the oldest input;
 * column {@code gate * hiddenSize + u}, gates Z, F, O, I). Inputs before the sequence are zero
 * (causal padding). Per layer and timestep:
 * <pre>
 *   z = tanh(a_Z), f = sigmoid(a_F), o = sigmoid(a_O), i = sigmoid(a_I),  a = [x_{t-k+1}; ...; x_t] W + b
 *   zoneout p > 0 (inference, expected value): f = p + (1 - p) f
 *   f:   h_t = f h_{t-1} + (1 - f) z
 *   fo:  c_t = f c_{t-1} + (1 - f) z,  h_t = o c_t
 *   ifo: c_t = f c_{t-1} + i z,        h_t = o c_t
 * </pre>
 * Layer l reads the stack input, or with dense connections {@code [x; h_1; ...; h_{l-1}]}; the stack's
 * output is the last layer's h.
 */
public final class Float64Qrnn {

    /**
     * What one layer ends the sequence with, and the magnitudes it passed through on the way.
     *
     * @param cell {@code c_T} (for f-pooling the same values as {@code hidden})
     * @param hidden {@code h_T}
     * @param window the layer's last {@code k - 1} inputs, oldest first, flattened, zero where the
     *     sequence was shorter than {@code k - 1}
     * @param cellScale {@code max_t max_u |c_t[u]|} over the sequence (0 when it is empty)
     * @param hiddenScale {@code max_t max_u |h_t[u]|} over the sequence
     * @param inputScale the largest magnitude of any input the layer read
     */
    public record LayerEnd(double[] cell, double[] hidden, double[] window, double cellScale, double hiddenScale,
                    double inputScale) {
    }

    /**
     * A full pass.
     *
     * @param outputs {@code T x hiddenSize}: the last layer's {@code h_t}
     * @param layers per layer, what it ends with
     * @param tokensSeen T
     */
    public record Result(double[][] outputs, List<LayerEnd> layers, long tokensSeen) {
    }

    private Float64Qrnn() {
    }

    /** Runs {@code stack} over {@code sequence} ({@code T x inputSize}) from the zero state. */
    public static Result run(QrnnStack stack, double[][] sequence) {
        QrnnStackSpec stackSpec = stack.spec();
        int steps = sequence.length;
        double[][] input = sequence;
        double[][] output = new double[steps][];
        List<LayerEnd> ends = new ArrayList<>();
        for (int l = 0; l < stack.layers().size(); l++) {
            QrnnLayer layer = stack.layer(l);
            output = runLayer(layer, input, ends);
            input = stackSpec.dense() ? concatenate(input, output) : output;
        }
        return new Result(output, List.copyOf(ends), steps);
    }

    /** Converts a row-major float chunk of {@code width}-wide timesteps into rows of doubles. */
    public static double[][] rows(float[] values, int width) {
        double[][] rows = new double[values.length / width][width];
        for (int t = 0; t < rows.length; t++) {
            for (int i = 0; i < width; i++) {
                rows[t][i] = values[t * width + i];
            }
        }
        return rows;
    }

    private static double[][] runLayer(QrnnLayer layer, double[][] x, List<LayerEnd> ends) {
        QrnnLayerSpec spec = layer.spec();
        int in = spec.inputSize();
        int hidden = spec.hiddenSize();
        int k = spec.window();
        int columns = spec.pooling().gateCount() * hidden;
        float[] w = layer.packedWeights();
        float[] b = layer.bias();
        double p = spec.zoneout();
        Pooling pooling = spec.pooling();

        double[] c = new double[hidden];
        double[] h = new double[hidden];
        double cellScale = 0;
        double hiddenScale = 0;
        double[][] out = new double[x.length][hidden];
        for (int t = 0; t < x.length; t++) {
            double[] a = new double[columns];
            for (int col = 0; col < columns; col++) {
                a[col] = b[col];
            }
            for (int tap = 0; tap < k; tap++) {
                int source = t - (k - 1) + tap;
                if (source < 0) {
                    continue;
                }
                for (int i = 0; i < in; i++) {
                    double xi = x[source][i];
                    int row = (tap * in + i) * columns;
                    for (int col = 0; col < columns; col++) {
                        a[col] += xi * w[row + col];
                    }
                }
            }
            for (int u = 0; u < hidden; u++) {
                double z = Math.tanh(a[Pooling.Z * hidden + u]);
                double f = sigmoid(a[Pooling.FORGET * hidden + u]);
                if (p > 0) {
                    f = p + (1 - p) * f;
                }
                switch (pooling) {
                    case F -> {
                        c[u] = f * c[u] + (1 - f) * z;
                        h[u] = c[u];
                    }
                    case FO -> {
                        c[u] = f * c[u] + (1 - f) * z;
                        h[u] = sigmoid(a[Pooling.OUTPUT * hidden + u]) * c[u];
                    }
                    case IFO -> {
                        c[u] = f * c[u] + sigmoid(a[Pooling.INPUT * hidden + u]) * z;
                        h[u] = sigmoid(a[Pooling.OUTPUT * hidden + u]) * c[u];
                    }
                    default -> throw new AssertionError(pooling);
                }
                out[t][u] = h[u];
                cellScale = Math.max(cellScale, Math.abs(c[u]));
                hiddenScale = Math.max(hiddenScale, Math.abs(h[u]));
            }
        }
        ends.add(new LayerEnd(c.clone(), h.clone(), lastInputs(x, k - 1, in), cellScale, hiddenScale, maxAbs(x)));
        return out;
    }

    private static double[] lastInputs(double[][] x, int keep, int width) {
        double[] window = new double[keep * width];
        for (int r = 0; r < keep; r++) {
            int source = x.length - keep + r;
            if (source >= 0) {
                System.arraycopy(x[source], 0, window, r * width, width);
            }
        }
        return window;
    }

    private static double[][] concatenate(double[][] left, double[][] right) {
        double[][] joined = new double[left.length][];
        for (int t = 0; t < left.length; t++) {
            joined[t] = new double[left[t].length + right[t].length];
            System.arraycopy(left[t], 0, joined[t], 0, left[t].length);
            System.arraycopy(right[t], 0, joined[t], left[t].length, right[t].length);
        }
        return joined;
    }

    private static double maxAbs(double[][] rows) {
        double max = 0;
        for (double[] row : rows) {
            for (double value : row) {
                max = Math.max(max, Math.abs(value));
            }
        }
        return max;
    }

    private static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }
}
