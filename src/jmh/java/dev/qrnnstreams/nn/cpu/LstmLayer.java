package dev.qrnnstreams.nn.cpu;

import dev.qrnnstreams.nn.QrnnLayer;
import dev.qrnnstreams.nn.QrnnLayerSpec;
import dev.qrnnstreams.nn.kernel.ProjectionKernel;
import dev.qrnnstreams.nn.kernel.WeightMatrix;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The parameters of one LSTM layer (Hochreiter and Schmidhuber 1997, with the forget gate of Gers,
 * Schmidhuber and Cummins 2000): the recurrent baseline that Bradbury et al. 2017 compare the QRNN
 * against, run by {@link LstmBaseline}.
 *
 * <p>With gates packed in the order i, f, g, o, each timestep computes
 * <pre>
 *   [i; f; g; o] = x_t W + h_{t-1} U + b
 *   i_t = sigma(i),  f_t = sigma(f),  g_t = tanh(g),  o_t = sigma(o)
 *   c_t = f_t * c_{t-1} + i_t * g_t
 *   h_t = o_t * tanh(c_t)
 * </pre>
 * where {@code W} is the input weight, {@code inputSize} rows by {@code 4 * hiddenSize} columns,
 * {@code U} the recurrent weight, {@code hiddenSize} rows by {@code 4 * hiddenSize} columns, both
 * row-major, and column {@code gate * hiddenSize + u} feeds hidden unit u of gate {@code gate}.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class LstmLayer {
    /** Index of the input gate i in the packed gate order. */
    public static final int INPUT = 0;
    /** Index of the forget gate f in the packed gate order. */
    public static final int FORGET = 1;
    /** Index of the cell candidate g in the packed gate order. */
    public static final int CANDIDATE = 2;
    /** Index of the output gate o in the packed gate order. */
    public static final int OUTPUT = 3;
    /** Number of packed gates. */
    public static final int GATES = 4;

    private final int inputSize;
    private final int hiddenSize;
    private final float[] bias;
    private final WeightMatrix inputWeights;
    private final WeightMatrix recurrentWeights;

    /**
     * Wraps the parameters, copying them.
     *
     * @param inputWeights {@code inputSize x 4 * hiddenSize}, row-major
     * @param recurrentWeights {@code hiddenSize x 4 * hiddenSize}, row-major
     * @param bias {@code 4 * hiddenSize}
     * @throws IllegalArgumentException if a size is not positive or a length does not match
     */
    public LstmLayer(int inputSize, int hiddenSize, float[] inputWeights, float[] recurrentWeights, float[] bias) {
        QrnnLayerSpec.requirePositive(inputSize, "inputSize");
        QrnnLayerSpec.requirePositive(hiddenSize, "hiddenSize");
        Objects.requireNonNull(bias, "bias");
        if (bias.length != GATES * hiddenSize) {
            throw new IllegalArgumentException("bias must have " + GATES * hiddenSize + " entries, has " + bias.length);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.bias = bias.clone();
        this.inputWeights = new WeightMatrix(inputSize, GATES * hiddenSize, inputWeights);
        this.recurrentWeights = new WeightMatrix(hiddenSize, GATES * hiddenSize, recurrentWeights);
    }

    /**
     * A layer with Glorot-uniform weights (limit {@code sqrt(6 / (rows + hiddenSize))} per gate, as for
     * {@link QrnnLayer#glorotUniform}) and zero bias.
     */
    public static LstmLayer glorotUniform(int inputSize, int hiddenSize, RandomGenerator random) {
        QrnnLayerSpec.requirePositive(inputSize, "inputSize");
        QrnnLayerSpec.requirePositive(hiddenSize, "hiddenSize");
        return new LstmLayer(inputSize, hiddenSize,
                uniform(inputSize * GATES * hiddenSize, Math.sqrt(6.0 / (inputSize + hiddenSize)), random),
                uniform(hiddenSize * GATES * hiddenSize, Math.sqrt(6.0 / (2 * hiddenSize)), random),
                new float[GATES * hiddenSize]);
    }

    /** Features per input timestep. */
    public int inputSize() {
        return inputSize;
    }

    /** Hidden units: the width of {@code h_t} and {@code c_t}. */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** A copy of the input weight {@code W}, {@code inputSize x 4 * hiddenSize}. */
    public float[] inputWeights() {
        return inputWeights.rowMajor().clone();
    }

    /** A copy of the recurrent weight {@code U}, {@code hiddenSize x 4 * hiddenSize}. */
    public float[] recurrentWeights() {
        return recurrentWeights.rowMajor().clone();
    }

    /** A copy of the bias {@code b}, {@code 4 * hiddenSize}. */
    public float[] bias() {
        return bias.clone();
    }

    float[] biasArray() {
        return bias;
    }

    /** {@code W}, for a {@link ProjectionKernel}. */
    WeightMatrix inputWeightMatrix() {
        return inputWeights;
    }

    /** {@code U}, for a {@link ProjectionKernel}. */
    WeightMatrix recurrentWeightMatrix() {
        return recurrentWeights;
    }

    private static float[] uniform(int length, double limit, RandomGenerator random) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = (float) random.nextDouble(-limit, limit);
        }
        return values;
    }
}
