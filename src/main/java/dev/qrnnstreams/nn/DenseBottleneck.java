package dev.qrnnstreams.nn;

import dev.qrnnstreams.nn.kernel.VectorKernels;
import dev.qrnnstreams.nn.kernel.WeightMatrix;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A dense layer with tanh, {@code y = tanh(x W + b)}, applied to every row of a token sequence: the
 * trainable bottleneck between a projection model's fixed {@link TernaryProjection} and its QRNN
 * stack (pQRNN, Kaliamoorthi et al. 2021). It works token by token, so it keeps the stack causal and
 * the streaming state unchanged.
 *
 * <p>Immutable and thread-safe.
 */
public final class DenseBottleneck {
    private final int inputSize;
    private final int outputSize;
    private final WeightMatrix weights;
    private final float[] bias;

    /**
     * Copies row-major {@code weights} ({@code inputSize x outputSize}) and {@code bias} ({@code outputSize}).
     *
     * @throws IllegalArgumentException if a size is not positive or an array has the wrong length
     */
    public DenseBottleneck(int inputSize, int outputSize, float[] weights, float[] bias) {
        QrnnLayerSpec.requirePositive(inputSize, "inputSize");
        QrnnLayerSpec.requirePositive(outputSize, "outputSize");
        if (Objects.requireNonNull(bias, "bias").length != outputSize) {
            throw new IllegalArgumentException("bias must have " + outputSize + " entries, has " + bias.length);
        }
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.weights = new WeightMatrix(inputSize, outputSize, weights);
        this.bias = bias.clone();
    }

    /** Glorot-uniform weights and a zero bias. */
    public static DenseBottleneck glorotUniform(int inputSize, int outputSize, RandomGenerator random) {
        float[] w = GlorotUniform.values(Math.multiplyExact(inputSize, outputSize), inputSize, outputSize, random);
        return new DenseBottleneck(inputSize, outputSize, w, new float[outputSize]);
    }

    /** Width of each input row. */
    public int inputSize() {
        return inputSize;
    }

    /** Width of each output row. */
    public int outputSize() {
        return outputSize;
    }

    /** A copy of the row-major weights. */
    public float[] weights() {
        return weights.rowMajor().clone();
    }

    /** A copy of the bias. */
    public float[] bias() {
        return bias.clone();
    }

    /**
     * The outputs of {@code rows} input rows ({@code rows x inputSize}): {@code rows x outputSize}.
     *
     * @throws IllegalArgumentException if {@code inputs} does not hold {@code rows} rows
     */
    public float[] forward(float[] inputs, int rows) {
        if (inputs.length != (long) rows * inputSize) {
            throw new IllegalArgumentException(rows + " rows of " + inputSize + " need " + (long) rows * inputSize
                    + " values, got " + inputs.length);
        }
        float[] out = new float[Math.multiplyExact(rows, outputSize)];
        if (rows > 0) {
            VectorKernels.matmul(inputs, rows, weights, out);
        }
        for (int r = 0; r < rows; r++) {
            VectorKernels.tanhWithBias(out, r * outputSize, bias, 0, outputSize);
        }
        return out;
    }
}
