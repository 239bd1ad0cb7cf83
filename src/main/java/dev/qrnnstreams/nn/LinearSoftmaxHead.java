package dev.qrnnstreams.nn;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A linear layer followed by a softmax: {@code p = softmax(W^T h + b)}, turning a hidden vector into
 * a probability per class. The softmax subtracts the largest logit first, so it neither overflows
 * nor underflows to all zeros.
 *
 * <p>Layout: {@code W} is {@code inputSize x classes}, row-major; {@code b} has one entry per class.
 * Immutable and thread-safe.
 */
public final class LinearSoftmaxHead {
    private final int inputSize;
    private final int classes;
    private final float[] weights;
    private final float[] bias;

    /**
     * Wraps parameters, copying them.
     *
     * @throws IllegalArgumentException if a size is not positive or a length differs
     */
    public LinearSoftmaxHead(int inputSize, int classes, float[] weights, float[] bias) {
        QrnnLayerSpec.requirePositive(inputSize, "inputSize");
        QrnnLayerSpec.requirePositive(classes, "classes");
        if (weights.length != (long) inputSize * classes || bias.length != classes) {
            throw new IllegalArgumentException("expected " + (long) inputSize * classes + " weights and " + classes
                    + " biases, got " + weights.length + " and " + bias.length);
        }
        this.inputSize = inputSize;
        this.classes = classes;
        this.weights = weights.clone();
        this.bias = bias.clone();
    }

    /** A head with Glorot-uniform weights and zero bias. */
    public static LinearSoftmaxHead glorotUniform(int inputSize, int classes, RandomGenerator random) {
        float[] w = GlorotUniform.values(Math.multiplyExact(inputSize, classes), inputSize, classes, random);
        return new LinearSoftmaxHead(inputSize, classes, w, new float[classes]);
    }

    /** Width of the hidden vector this head reads. */
    public int inputSize() {
        return inputSize;
    }

    /** Number of classes. */
    public int classes() {
        return classes;
    }

    /** {@code W^T h + b}. */
    public float[] logits(float[] hidden) {
        Objects.requireNonNull(hidden, "hidden");
        if (hidden.length != inputSize) {
            throw new IllegalArgumentException("hidden has " + hidden.length + " values, head reads " + inputSize);
        }
        float[] logits = bias.clone();
        for (int i = 0; i < inputSize; i++) {
            for (int c = 0; c < classes; c++) {
                logits[c] = Math.fma(hidden[i], weights[i * classes + c], logits[c]);
            }
        }
        return logits;
    }

    /** The class probabilities {@code softmax(W^T h + b)}; they sum to 1. */
    public float[] probabilities(float[] hidden) {
        float[] logits = logits(hidden);
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double sum = 0;
        double[] exp = new double[classes];
        for (int c = 0; c < classes; c++) {
            exp[c] = Math.exp(logits[c] - max);
            sum += exp[c];
        }
        float[] probabilities = new float[classes];
        for (int c = 0; c < classes; c++) {
            probabilities[c] = (float) (exp[c] / sum);
        }
        return probabilities;
    }

    /** A copy of the row-major weight. */
    public float[] weights() {
        return weights.clone();
    }

    /** A copy of the bias. */
    public float[] bias() {
        return bias.clone();
    }

    /**
     * Gradients of a scalar loss through the linear map, given {@code dL/dlogits}:
     * {@code dW = h dlogits^T}, {@code db = dlogits}, {@code dh = W dlogits}.
     *
     * @param weights {@code inputSize x classes}, row-major
     * @param bias one per class
     * @param hidden {@code inputSize}
     */
    public record Gradients(float[] weights, float[] bias, float[] hidden) {
    }

    /** Back-propagates {@code dLogits} through the logits of {@code hidden}. */
    public Gradients backward(float[] hidden, float[] dLogits) {
        if (hidden.length != inputSize || dLogits.length != classes) {
            throw new IllegalArgumentException("expected " + inputSize + " hidden values and " + classes
                    + " logit gradients, got " + hidden.length + " and " + dLogits.length);
        }
        float[] dWeights = new float[inputSize * classes];
        float[] dHidden = new float[inputSize];
        for (int i = 0; i < inputSize; i++) {
            float sum = 0f;
            for (int c = 0; c < classes; c++) {
                dWeights[i * classes + c] = hidden[i] * dLogits[c];
                sum = Math.fma(weights[i * classes + c], dLogits[c], sum);
            }
            dHidden[i] = sum;
        }
        return new Gradients(dWeights, dLogits.clone(), dHidden);
    }
}
