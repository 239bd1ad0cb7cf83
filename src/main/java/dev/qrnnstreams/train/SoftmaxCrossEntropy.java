package dev.qrnnstreams.train;

/**
 * The cross-entropy of a softmax over logits against one true class:
 * {@code L = -log p_y} with {@code p = softmax(logits)}, and its gradient {@code dL/dlogits = p - e_y}.
 * Computed with the largest logit subtracted first, so large logits neither overflow nor lose the loss.
 */
public final class SoftmaxCrossEntropy {

    private SoftmaxCrossEntropy() {
    }

    /**
     * The loss and its gradient with respect to the logits.
     *
     * @param loss {@code -log p_y}, in nats
     * @param dLogits {@code p - e_y}
     */
    public record Result(double loss, float[] dLogits) {
    }

    /**
     * Evaluates the loss of {@code logits} for the true class {@code label}.
     *
     * @throws IllegalArgumentException if {@code label} is not a class index
     */
    public static Result of(float[] logits, int label) {
        if (label < 0 || label >= logits.length) {
            throw new IllegalArgumentException("label " + label + " is not one of " + logits.length + " classes");
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double sum = 0;
        for (float logit : logits) {
            sum += Math.exp(logit - max);
        }
        double logSum = Math.log(sum);
        float[] dLogits = new float[logits.length];
        for (int c = 0; c < logits.length; c++) {
            dLogits[c] = (float) Math.exp(logits[c] - max - logSum);
        }
        dLogits[label] -= 1f;
        return new Result(logSum + max - logits[label], dLogits);
    }
}
