package dev.qrnnstreams.nn.grad;

import dev.qrnnstreams.nn.LinearSoftmaxHead;
import dev.qrnnstreams.nn.kernel.Chunks;
import dev.qrnnstreams.nn.kernel.VectorKernels;
import dev.qrnnstreams.nn.kernel.WeightMatrix;
import java.util.Arrays;

/**
 * The cross-entropy of a softmax output layer over a large vocabulary ({@code logits = h W + b}, the layout
 * of {@link LinearSoftmaxHead}) at many rows at once, and its gradients: over every class, or, to make
 * training affordable, over the target and a set of sampled classes shared by all rows (sampled softmax,
 * Jean, Cho, Memisevic and Bengio, ACL 2015).
 *
 * <p>Sampled form: the candidates are {@code S} draws with replacement from a proposal distribution
 * {@code q}; each logit (the target's and every candidate's) is corrected by subtracting
 * {@code log(S q_c)}, the log of the class's expected number of draws, so that the softmax over
 * {target, candidates} estimates the full one; a candidate that equals the row's target is left out of that
 * row. The gradients reach only the weight columns and biases of the target and the candidates.
 *
 * <p>Immutable; the gradient arrays passed in are the caller's and must not be shared between threads.
 */
public final class SoftmaxOutput {
    private final int inputSize;
    private final int classes;
    private final float[] weights;
    private final float[] bias;
    private final int[] candidates;
    private final float[] logExpectedCounts;
    private final boolean sampled;
    private final WeightMatrix candidateWeights;
    private final WeightMatrix candidateWeightsTransposed;
    private final float[] candidateShift;

    private SoftmaxOutput(int inputSize, int classes, float[] weights, float[] bias, int[] candidates,
                          float[] logExpectedCounts, boolean sampled) {
        if (weights.length != (long) inputSize * classes || bias.length != classes) {
            throw new IllegalArgumentException("expected " + (long) inputSize * classes + " weights and " + classes
                    + " biases, got " + weights.length + " and " + bias.length);
        }
        this.inputSize = inputSize;
        this.classes = classes;
        this.weights = weights;
        this.bias = bias;
        this.candidates = candidates.clone();
        this.logExpectedCounts = logExpectedCounts;
        this.sampled = sampled;
        int s = candidates.length;
        float[] gathered = new float[inputSize * s];
        this.candidateShift = new float[s];
        for (int j = 0; j < s; j++) {
            int c = candidates[j];
            if (c < 0 || c >= classes) {
                throw new IllegalArgumentException("candidate " + c + " is not a class of " + classes);
            }
            for (int p = 0; p < inputSize; p++) {
                gathered[p * s + j] = weights[p * classes + c];
            }
            candidateShift[j] = bias[c] - (sampled ? logExpectedCounts[c] : 0f);
        }
        this.candidateWeights = new WeightMatrix(inputSize, s, gathered);
        this.candidateWeightsTransposed = new WeightMatrix(s, inputSize, Chunks.transpose(gathered, inputSize, s));
    }

    /**
     * The exact softmax over every class of the layer whose row-major {@code inputSize x classes} weights and
     * biases are given (read, not copied: they must not change while this is in use).
     */
    public static SoftmaxOutput full(int inputSize, int classes, float[] weights, float[] bias) {
        int[] all = new int[classes];
        for (int c = 0; c < classes; c++) {
            all[c] = c;
        }
        return new SoftmaxOutput(inputSize, classes, weights, bias, all, null, false);
    }

    /**
     * The sampled softmax over the target and {@code candidates}, drawn with replacement from a proposal in
     * which class c has {@code exp(logExpectedCounts[c])} expected draws among the candidates.
     */
    public static SoftmaxOutput sampled(int inputSize, int classes, float[] weights, float[] bias, int[] candidates,
                                        float[] logExpectedCounts) {
        if (logExpectedCounts.length != classes) {
            throw new IllegalArgumentException(logExpectedCounts.length + " expected counts for " + classes
                    + " classes");
        }
        return new SoftmaxOutput(inputSize, classes, weights, bias, candidates, logExpectedCounts, true);
    }

    /**
     * The summed cross-entropy (natural log) of {@code targets} at {@code rows} rows of {@code hidden}
     * ({@code rows x inputSize}), without gradients.
     */
    public double loss(float[] hidden, int rows, int[] targets) {
        return pass(hidden, rows, targets, 0f, null, null, null);
    }

    /**
     * The summed cross-entropy as {@link #loss}, and its gradients times {@code scale}: added to
     * {@code dWeights} and {@code dBias} (the layer's full shapes) and written to {@code dHidden}
     * ({@code rows x inputSize}).
     */
    public double lossAndGradients(float[] hidden, int rows, int[] targets, float scale, float[] dHidden,
                                   float[] dWeights, float[] dBias) {
        return pass(hidden, rows, targets, scale, dHidden, dWeights, dBias);
    }

    private double pass(float[] hidden, int rows, int[] targets, float scale, float[] dHidden, float[] dWeights,
                        float[] dBias) {
        if (hidden.length < rows * inputSize || targets.length < rows) {
            throw new IllegalArgumentException(rows + " rows need " + rows * inputSize + " hidden values and "
                    + rows + " targets");
        }
        int s = candidates.length;
        float[] logits = new float[rows * s];
        VectorKernels.matmul(hidden, rows, candidateWeights, logits);
        float[] targetLogits = sampled ? targetLogits(hidden, rows, targets) : null;
        boolean gradients = dHidden != null;
        float[] dTarget = new float[rows];
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            loss += row(logits, r, targets[r], targetLogits == null ? 0f : targetLogits[r], dTarget, scale);
        }
        if (gradients) {
            backward(hidden, rows, targets, logits, dTarget, dHidden, dWeights, dBias);
        }
        return loss;
    }

    /** The corrected logit of each row's target. */
    private float[] targetLogits(float[] hidden, int rows, int[] targets) {
        float[] values = new float[rows];
        for (int r = 0; r < rows; r++) {
            int y = targets[r];
            float sum = bias[y] - logExpectedCounts[y];
            for (int p = 0; p < inputSize; p++) {
                sum = Math.fma(hidden[r * inputSize + p], weights[p * classes + y], sum);
            }
            values[r] = sum;
        }
        return values;
    }

    /**
     * One row's loss; turns the row of {@code logits} into the gradient of the candidates' logits times
     * {@code scale} in place, and sets {@code dTarget[r]} (sampled form only).
     */
    private double row(float[] logits, int r, int target, float targetLogit, float[] dTarget, float scale) {
        int s = candidates.length;
        int from = r * s;
        float max = sampled ? targetLogit : Float.NEGATIVE_INFINITY;
        for (int j = 0; j < s; j++) {
            boolean hit = sampled && candidates[j] == target;
            logits[from + j] = hit ? Float.NEGATIVE_INFINITY : logits[from + j] + candidateShift[j];
            max = Math.max(max, logits[from + j]);
        }
        double sum = sampled ? Math.exp(targetLogit - max) : 0;
        for (int j = 0; j < s; j++) {
            sum += Math.exp(logits[from + j] - max);
        }
        double logSum = max + Math.log(sum);
        double loss = logSum - (sampled ? targetLogit : logits[from + target]);
        for (int j = 0; j < s; j++) {
            logits[from + j] = (float) (Math.exp(logits[from + j] - logSum) * scale);
        }
        if (sampled) {
            dTarget[r] = (float) ((Math.exp(targetLogit - logSum) - 1) * scale);
        } else {
            logits[from + target] -= scale;
        }
        return loss;
    }

    private void backward(float[] hidden, int rows, int[] targets, float[] dLogits, float[] dTarget, float[] dHidden,
                          float[] dWeights, float[] dBias) {
        int s = candidates.length;
        VectorKernels.matmul(dLogits, rows, candidateWeightsTransposed, dHidden);
        float[] dGathered = new float[inputSize * s];
        VectorKernels.matmul(Chunks.transpose(Arrays.copyOf(hidden, rows * inputSize), rows, inputSize),
                inputSize, new WeightMatrix(rows, s, dLogits), dGathered);
        for (int j = 0; j < s; j++) {
            int c = candidates[j];
            for (int p = 0; p < inputSize; p++) {
                dWeights[p * classes + c] += dGathered[p * s + j];
            }
            float sum = 0f;
            for (int r = 0; r < rows; r++) {
                sum += dLogits[r * s + j];
            }
            dBias[c] += sum;
        }
        if (!sampled) {
            return;
        }
        for (int r = 0; r < rows; r++) {
            int y = targets[r];
            float d = dTarget[r];
            dBias[y] += d;
            for (int p = 0; p < inputSize; p++) {
                dHidden[r * inputSize + p] = Math.fma(d, weights[p * classes + y], dHidden[r * inputSize + p]);
                dWeights[p * classes + y] = Math.fma(d, hidden[r * inputSize + p], dWeights[p * classes + y]);
            }
        }
    }
}
