package dev.qrnnstreams.train;

/**
 * Adam with decoupled weight decay (Kingma and Ba 2015; Loshchilov and Hutter 2019) and clipping of
 * the global gradient norm. Per parameter value, at step t:
 * <pre>
 *   g   = gradient * min(1, clipNorm / ||all gradients||_2)
 *   m   = beta1 m + (1 - beta1) g
 *   v   = beta2 v + (1 - beta2) g^2
 *   w  -= lr * ( (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon) + weightDecay * w )
 * </pre>
 * The moment estimates live here, keyed by the identity of each parameter's value array. Not
 * thread-safe: one optimiser per training loop.
 */
public final class AdamW extends MomentOptimiser {
    private final double beta1;
    private final double beta2;
    private final double epsilon;

    private AdamW(Builder builder) {
        super(2, builder.weightDecay, builder.clipNorm);
        this.beta1 = builder.beta1;
        this.beta2 = builder.beta2;
        this.epsilon = builder.epsilon;
    }

    /** A builder with the usual defaults: beta1 0.9, beta2 0.999, epsilon 1e-8, no decay, no clipping. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    void update(float[] w, float[] gradient, double scale, float[][] state, double decay, double learningRate,
                int step) {
        double correction1 = 1 - Math.pow(beta1, step);
        double correction2 = 1 - Math.pow(beta2, step);
        float[] m = state[0];
        float[] v = state[1];
        for (int i = 0; i < w.length; i++) {
            double g = gradient[i] * scale;
            m[i] = (float) (beta1 * m[i] + (1 - beta1) * g);
            v[i] = (float) (beta2 * v[i] + (1 - beta2) * g * g);
            double update = (m[i] / correction1) / (Math.sqrt(v[i] / correction2) + epsilon) + decay * w[i];
            w[i] = (float) (w[i] - learningRate * update);
        }
    }

    /** Builds an {@link AdamW}; validation happens in {@link #build()}. */
    public static final class Builder {
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-8;
        private double weightDecay;
        private double clipNorm = Double.POSITIVE_INFINITY;

        private Builder() {
        }

        /** Decay of the first moment, in [0, 1). */
        public Builder beta1(double value) {
            beta1 = value;
            return this;
        }

        /** Decay of the second moment, in [0, 1). */
        public Builder beta2(double value) {
            beta2 = value;
            return this;
        }

        /** Added to the root of the second moment, positive. */
        public Builder epsilon(double value) {
            epsilon = value;
            return this;
        }

        /** Decoupled weight decay per unit of learning rate, at least 0. */
        public Builder weightDecay(double value) {
            weightDecay = value;
            return this;
        }

        /** The largest global gradient norm applied; larger gradients are scaled down to it. */
        public Builder clipNorm(double value) {
            clipNorm = value;
            return this;
        }

        /** Validates and builds. */
        public AdamW build() {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("betas must be in [0, 1), were " + beta1 + " and " + beta2);
            }
            if (!(epsilon > 0) || !(weightDecay >= 0) || !(clipNorm > 0)) {
                throw new IllegalArgumentException("epsilon and clipNorm must be positive and weightDecay at least 0");
            }
            return new AdamW(this);
        }
    }
}
