package dev.qrnnstreams.nn;

import dev.qrnnstreams.nn.kernel.Chunks;
import dev.qrnnstreams.nn.kernel.WeightMatrix;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The parameters of one QRNN layer: the masked convolution's packed weight and bias
 * (Bradbury et al. 2017, equation 1: {@code Z = tanh(W_z * X)}, {@code F = sigma(W_f * X)},
 * {@code O = sigma(W_o * X)}, {@code I = sigma(W_i * X)}, where {@code *} is a masked convolution
 * along time).
 *
 * <p>Layout, little-endian on disk and row-major here: the weight is a matrix of
 * {@code window * inputSize} rows by {@code gateCount * hiddenSize} columns. Row
 * {@code tap * inputSize + i} multiplies feature i of input {@code x_{t - window + 1 + tap}}, so tap 0
 * is the oldest input of the window and tap {@code window - 1} the current one. Column
 * {@code gate * hiddenSize + u} produces hidden unit u of gate {@code gate} in the order Z, F, O, I
 * (see {@link Pooling}). The bias has one entry per column. The pre-activation of timestep t is the
 * concatenated window {@code [x_{t-k+1}; ...; x_t]} times the weight, plus the bias.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class QrnnLayer {
    private final QrnnLayerSpec spec;
    private final WeightMatrix weights;
    private final float[] bias;
    private volatile WeightMatrix transposedWeights;

    /**
     * Wraps packed parameters, copying them.
     *
     * @throws IllegalArgumentException if a length does not match the spec
     */
    public QrnnLayer(QrnnLayerSpec spec, float[] weights, float[] bias) {
        this.spec = Objects.requireNonNull(spec, "spec");
        requireLength(weights, (long) spec.convolutionRows() * spec.convolutionColumns(), "weights");
        requireLength(bias, spec.convolutionColumns(), "bias");
        this.weights = new WeightMatrix(spec.convolutionRows(), spec.convolutionColumns(), weights);
        this.bias = bias.clone();
    }

    private QrnnLayer(QrnnLayer shared, float[] bias) {
        this.spec = shared.spec;
        this.weights = shared.weights;
        this.transposedWeights = shared.transposedWeightMatrix();
        requireLength(bias, spec.convolutionColumns(), "bias");
        this.bias = bias.clone();
    }

    /**
     * The same weights (shared, not copied) with another bias: how a decoder layer adds a per-sequence
     * constant to its convolution output.
     */
    public QrnnLayer withBias(float[] newBias) {
        return new QrnnLayer(this, newBias);
    }

    /**
     * A layer with Glorot-uniform weights (limit {@code sqrt(6 / (rows + hiddenSize))} per gate) and
     * zero bias.
     */
    public static QrnnLayer glorotUniform(QrnnLayerSpec spec, RandomGenerator random) {
        float[] w = GlorotUniform.values(spec.convolutionRows() * spec.convolutionColumns(), spec.convolutionRows(),
                spec.hiddenSize(), random);
        return new QrnnLayer(spec, w, new float[spec.convolutionColumns()]);
    }

    /** The layer's shape. */
    public QrnnLayerSpec spec() {
        return spec;
    }

    /** A copy of the packed weight, in the layout described above. */
    public float[] packedWeights() {
        return weights.rowMajor().clone();
    }

    /** A copy of the bias. */
    public float[] bias() {
        return bias.clone();
    }

    /** The packed weights the kernels multiply by; for {@code nn.*} only. */
    public WeightMatrix weightMatrix() {
        return weights;
    }

    /** {@code W^T}, for back-propagation; packed on first use (concurrent first uses pack it twice, harmlessly). */
    public WeightMatrix transposedWeightMatrix() {
        WeightMatrix transposed = transposedWeights;
        if (transposed == null) {
            transposed = new WeightMatrix(weights.columns(), weights.rows(),
                    Chunks.transpose(weights.rowMajor(), weights.rows(), weights.columns()));
            transposedWeights = transposed;
        }
        return transposed;
    }

    /** The bias. For backends in {@code nn.*}: the backing array, not a copy; never modify it. */
    public float[] biasArray() {
        return bias;
    }

    private static void requireLength(float[] array, long expected, String name) {
        Objects.requireNonNull(array, name);
        if (array.length != expected) {
            throw new IllegalArgumentException(name + " must have " + expected + " entries, has " + array.length);
        }
    }
}
