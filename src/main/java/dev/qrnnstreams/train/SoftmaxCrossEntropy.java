package dev.qrnnstreams.train;

/**
 * The cross-entropy of a softmax over logits against one true class:
 * {@code L = -log p_y} with {@code p = softmax(logits)}, and its gradient {@code dL/dlogits = p - e_y};
 * or against a target distribution {@code q} (a teacher's, in distillation): {@code L = -sum_c q_c log p_c},
 * {@code dL/dlogits = p - q}.
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
        double logNormaliser = logNormaliser(logits);
        float[] dLogits = probabilities(logits, logNormaliser);
        dLogits[label] -= 1f;
        return new Result(logNormaliser - logits[label], dLogits);
    }

    /**
     * Evaluates the loss of {@code logits} against the distribution {@code target} (non-negative, summing
     * to 1, one value per class).
     *
     * @throws IllegalArgumentException if {@code target} has another length than {@code logits}
     */
    public static Result of(float[] logits, float[] target) {
        if (target.length != logits.length) {
            throw new IllegalArgumentException(target.length + " target values for " + logits.length + " classes");
        }
        double logNormaliser = logNormaliser(logits);
        float[] dLogits = probabilities(logits, logNormaliser);
        double loss = 0;
        for (int c = 0; c < logits.length; c++) {
            loss += target[c] * (logNormaliser - logits[c]);
            dLogits[c] -= target[c];
        }
        return new Result(loss, dLogits);
    }

    /** {@code log sum_c exp(logits_c)}, with the largest logit taken out first. */
    private static double logNormaliser(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double sum = 0;
        for (float logit : logits) {
            sum += Math.exp(logit - max);
        }
        return Math.log(sum) + max;
    }

    private static float[] probabilities(float[] logits, double logNormaliser) {
        float[] p = new float[logits.length];
        for (int c = 0; c < logits.length; c++) {
            p[c] = (float) Math.exp(logits[c] - logNormaliser);
        }
        return p;
    }
}
