package dev.qrnnstreams.nn.grad;

import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.QrnnLayer;
import dev.qrnnstreams.nn.QrnnLayerSpec;
import dev.qrnnstreams.nn.kernel.Chunks;
import dev.qrnnstreams.nn.kernel.VectorKernels;
import dev.qrnnstreams.nn.kernel.WeightMatrix;

import java.util.Objects;

/**
 * Training-time forward and backward pass of one QRNN layer over one sequence from the zero state
 * (Bradbury et al. 2017, equations 1 to 4, differentiated by hand).
 *
 * <p>The forward pass records a {@link Tape}: the convolution windows, the activated gates, the
 * effective forget gate after zoneout, and every memory cell {@code c_0 .. c_T}. Given
 * {@code dL/dh_t} for every timestep, the backward pass walks time in reverse:
 * <pre>
 *   dc_t   = dh_t * o_t + f_{t+1} * dc_{t+1}            (h_t = c_t for f-pooling)
 *   do_t   = dh_t * c_t
 *   df_t   = dc_t * (c_{t-1} - z_t)   (f, fo)   or  dc_t * c_{t-1}   (ifo)
 *   dz_t   = dc_t * (1 - f_t)         (f, fo)   or  dc_t * i_t       (ifo)
 *   di_t   = dc_t * z_t                                                (ifo)
 * </pre>
 * then through the activations ({@code tanh' = 1 - z^2}, {@code sigma' = s (1 - s)}; a forget channel
 * forced to 1 by zoneout passes no gradient, and the inference form {@code p + (1 - p) s} scales it by
 * {@code 1 - p}) to the pre-activations {@code dA}, and from there {@code dW = windows^T dA},
 * {@code db = sum_t dA_t}, and {@code dX} by scattering {@code dA W^T} back over the k inputs of each
 * window. Both products run on the Vector API kernel ({@code W^T} is packed once per layer).
 */
public final class QrnnLayerBackprop {

    private QrnnLayerBackprop() {
    }

    /**
     * What the forward pass keeps for the backward pass. Arrays are row-major per timestep.
     *
     * @param layer the layer that ran
     * @param timesteps T
     * @param windows {@code T x (k * inputSize)} convolution windows
     * @param gates {@code T x (gateCount * hiddenSize)} activated gates: tanh for Z, sigmoid for the others
     *     (the forget gate before zoneout)
     * @param forget {@code T x hiddenSize} the forget gate the pooling used, after zoneout
     * @param forced {@code T x hiddenSize} whether zoneout forced the channel to 1 (training noise only)
     * @param expectedZoneout whether the forget gate took zoneout's inference form {@code p + (1 - p) s}
     * @param cells {@code (T + 1) x hiddenSize}: {@code c_0 = 0} then {@code c_1 .. c_T}
     * @param outputs {@code T x hiddenSize}: {@code h_1 .. h_T}
     */
    public record Tape(QrnnLayer layer, int timesteps, float[] windows, float[] gates, float[] forget,
                       boolean[] forced, boolean expectedZoneout, float[] cells, float[] outputs) {
    }

    /**
     * Gradients of a scalar loss with respect to the layer's parameters and input.
     *
     * @param weights same layout as {@link QrnnLayer#packedWeights()}
     * @param bias same layout as {@link QrnnLayer#bias()}
     * @param input {@code T x inputSize}
     */
    public record Gradients(float[] weights, float[] bias, float[] input) {
    }

    /**
     * Runs the layer over {@code input} ({@code T x inputSize}) from the zero state.
     *
     * @param noise zoneout masks for training, or null for the deterministic inference form
     */
    public static Tape forward(QrnnLayer layer, float[] input, TrainingNoise noise) {
        QrnnLayerSpec spec = layer.spec();
        int in = spec.inputSize();
        int h = spec.hiddenSize();
        int n = spec.convolutionColumns();
        int steps = Chunks.timesteps(input, in);
        float[] windows = new float[steps * spec.convolutionRows()];
        Chunks.layOutWindows(spec, new float[spec.carriedInputs() * in], input, steps, windows, 0);
        float[] gates = new float[steps * n];
        VectorKernels.matmul(windows, steps, layer.weightMatrix(), gates);
        float[] bias = layer.biasArray();
        float[] forget = new float[steps * h];
        boolean[] forced = new boolean[steps * h];
        float[] cells = new float[(steps + 1) * h];
        float[] outputs = new float[steps * h];
        float p = (float) spec.zoneout();
        boolean expectedZoneout = noise == null && p > 0f;
        for (int t = 0; t < steps; t++) {
            int row = t * n;
            for (int col = 0; col < n; col++) {
                float a = gates[row + col] + bias[col];
                gates[row + col] = col < h ? (float) Math.tanh(a) : sigmoid(a);
            }
            for (int u = 0; u < h; u++) {
                float s = gates[row + Pooling.FORGET * h + u];
                boolean force = noise != null && p > 0f && noise.draw(p);
                forced[t * h + u] = force;
                float f = force ? 1f : expectedZoneout ? p + (1f - p) * s : s;
                forget[t * h + u] = f;
                float z = gates[row + u];
                float previous = cells[t * h + u];
                float c = spec.pooling() == Pooling.IFO
                        ? f * previous + gates[row + Pooling.INPUT * h + u] * z
                        : f * previous + (1f - f) * z;
                cells[(t + 1) * h + u] = c;
                outputs[t * h + u] = spec.pooling().hasOutputGate() ? gates[row + Pooling.OUTPUT * h + u] * c : c;
            }
        }
        return new Tape(layer, steps, windows, gates, forget, forced, expectedZoneout, cells, outputs);
    }

    /**
     * Back-propagates {@code dOutputs} ({@code T x hiddenSize}: {@code dL/dh_t}) through the pass that
     * recorded {@code tape}.
     */
    public static Gradients backward(Tape tape, float[] dOutputs) {
        return backward(tape, dOutputs, null, null);
    }

    /**
     * Back-propagates through the pass that recorded {@code tape} when the loss also reads the memory
     * cells and the output gate directly, not only through {@code h_t = o_t * c_t}: {@code dCells} and
     * {@code dOutputGates} ({@code T x hiddenSize} each, or null for none) are {@code dL/dc_t} and
     * {@code dL/do_t} along those other paths. The translator's attention reads the last decoder layer
     * this way. Requires a pooling with an output gate when {@code dOutputGates} is given.
     */
    static Gradients backward(Tape tape, float[] dOutputs, float[] dCells, float[] dOutputGates) {
        Deferred deferred = backwardDeferred(tape, dOutputs, dCells, dOutputGates);
        QrnnLayerSpec spec = tape.layer().spec();
        int rows = spec.convolutionRows();
        int n = spec.convolutionColumns();
        int steps = tape.timesteps();
        float[] dWeights = new float[rows * n];
        if (steps > 0) {
            VectorKernels.matmul(Chunks.transpose(tape.windows(), steps, rows), rows,
                    new WeightMatrix(steps, n, deferred.preActivations()), dWeights);
        }
        return new Gradients(dWeights, deferred.bias(), deferred.input());
    }

    /**
     * The backward pass without the weight gradient, which is {@code windows^T preActivations}: a caller
     * with many sequences stacks their windows and pre-activation gradients and forms it in one product.
     *
     * @param preActivations {@code T x convolutionColumns}: {@code dL/dA}
     * @param bias the bias gradient
     * @param input {@code T x inputSize}
     */
    record Deferred(float[] preActivations, float[] bias, float[] input) {
    }

    /** {@link #backward(Tape, float[], float[], float[])} but for the weight gradient. */
    static Deferred backwardDeferred(Tape tape, float[] dOutputs, float[] dCells, float[] dOutputGates) {
        QrnnLayer layer = tape.layer();
        QrnnLayerSpec spec = layer.spec();
        int h = spec.hiddenSize();
        int n = spec.convolutionColumns();
        int steps = tape.timesteps();
        Objects.requireNonNull(dOutputs, "dOutputs");
        if (dOutputs.length != steps * h) {
            throw new IllegalArgumentException("dOutputs has " + dOutputs.length + " values, expected " + steps * h);
        }
        float[] dPre = preActivationGradients(tape, dOutputs, dCells, dOutputGates);
        int rows = spec.convolutionRows();
        float[] dBias = new float[n];
        for (int t = 0; t < steps; t++) {
            for (int col = 0; col < n; col++) {
                dBias[col] += dPre[t * n + col];
            }
        }
        float[] dWindows = new float[steps * rows];
        if (steps > 0) {
            VectorKernels.matmul(dPre, steps, layer.transposedWeightMatrix(), dWindows);
        }
        return new Deferred(dPre, dBias, scatterWindows(spec, dWindows, steps));
    }

    private static float[] preActivationGradients(Tape tape, float[] dOutputs, float[] dCells,
                                                  float[] dOutputGates) {
        QrnnLayerSpec spec = tape.layer().spec();
        Pooling pooling = spec.pooling();
        int h = spec.hiddenSize();
        int n = spec.convolutionColumns();
        float p = (float) spec.zoneout();
        float[] gates = tape.gates();
        float[] cells = tape.cells();
        float[] dPre = new float[tape.timesteps() * n];
        float[] dCell = new float[h];
        for (int t = tape.timesteps() - 1; t >= 0; t--) {
            int row = t * n;
            for (int u = 0; u < h; u++) {
                float z = gates[row + u];
                float f = tape.forget()[t * h + u];
                float c = cells[(t + 1) * h + u];
                float previous = cells[t * h + u];
                float dh = dOutputs[t * h + u];
                float dc = dCells == null ? dCell[u] : dCell[u] + dCells[t * h + u];
                if (pooling.hasOutputGate()) {
                    float o = gates[row + Pooling.OUTPUT * h + u];
                    dc += dh * o;
                    float dO = dOutputGates == null ? dh * c : dh * c + dOutputGates[t * h + u];
                    dPre[row + Pooling.OUTPUT * h + u] = dO * o * (1f - o);
                } else {
                    dc += dh;
                }
                float df;
                float dz;
                if (pooling == Pooling.IFO) {
                    float i = gates[row + Pooling.INPUT * h + u];
                    df = dc * previous;
                    dz = dc * i;
                    dPre[row + Pooling.INPUT * h + u] = dc * z * i * (1f - i);
                } else {
                    df = dc * (previous - z);
                    dz = dc * (1f - f);
                }
                dPre[row + u] = dz * (1f - z * z);
                float s = gates[row + Pooling.FORGET * h + u];
                float slope = tape.forced()[t * h + u] ? 0f : tape.expectedZoneout() ? 1f - p : 1f;
                dPre[row + Pooling.FORGET * h + u] = df * slope * s * (1f - s);
                dCell[u] = dc * f;
            }
        }
        return dPre;
    }

    /** {@code dX}: each window row's gradient added back onto the k inputs it was made of. */
    private static float[] scatterWindows(QrnnLayerSpec spec, float[] dWindows, int steps) {
        int in = spec.inputSize();
        int k = spec.window();
        int rows = spec.convolutionRows();
        float[] dInput = new float[steps * in];
        for (int t = 0; t < steps; t++) {
            for (int tap = 0; tap < k; tap++) {
                int source = t - (k - 1) + tap;
                if (source >= 0) {
                    for (int i = 0; i < in; i++) {
                        dInput[source * in + i] += dWindows[t * rows + tap * in + i];
                    }
                }
            }
        }
        return dInput;
    }

    private static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }
}
