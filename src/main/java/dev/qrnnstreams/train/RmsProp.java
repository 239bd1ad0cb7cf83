package dev.qrnnstreams.train;

/**
 * RMSprop (Tieleman and Hinton 2012, lecture 6.5) with decoupled weight decay and clipping of the
 * global gradient norm, in the form without momentum. Per parameter value:
 * <pre>
 *   g  = gradient * min(1, clipNorm / ||all gradients||_2)
 *   s  = rho s + (1 - rho) g^2
 *   w -= lr * ( g / (sqrt(s) + epsilon) + weightDecay * w )
 * </pre>
 * Not thread-safe: one optimiser per training loop.
 */
public final class RmsProp extends MomentOptimiser {
    private final double rho;
    private final double epsilon;

    private RmsProp(Builder builder) {
        super(1, builder.weightDecay, builder.clipNorm);
        this.rho = builder.rho;
        this.epsilon = builder.epsilon;
    }

    /** A builder with the defaults rho 0.9, epsilon 1e-8, no decay, no clipping. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    void update(float[] w, float[] gradient, double scale, float[][] state, double decay, double learningRate,
                int step) {
        float[] s = state[0];
        for (int i = 0; i < w.length; i++) {
            double g = gradient[i] * scale;
            s[i] = (float) (rho * s[i] + (1 - rho) * g * g);
            double update = g / (Math.sqrt(s[i]) + epsilon) + decay * w[i];
            w[i] = (float) (w[i] - learningRate * update);
        }
    }

    /** Builds an {@link RmsProp}; validation happens in {@link #build()}. */
    public static final class Builder {
        private double rho = 0.9;
        private double epsilon = 1e-8;
        private double weightDecay;
        private double clipNorm = Double.POSITIVE_INFINITY;

        private Builder() {
        }

        /** Decay of the running mean of squared gradients, in [0, 1). */
        public Builder rho(double value) {
            rho = value;
            return this;
        }

        /** Added to the root of the mean square, positive. */
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
        public RmsProp build() {
            if (!(rho >= 0 && rho < 1)) {
                throw new IllegalArgumentException("rho must be in [0, 1), was " + rho);
            }
            if (!(epsilon > 0) || !(weightDecay >= 0) || !(clipNorm > 0)) {
                throw new IllegalArgumentException("epsilon and clipNorm must be positive and weightDecay at least 0");
            }
            return new RmsProp(this);
        }
    }
}
