package dev.qrnnstreams.train;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
public final class AdamW {
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final double clipNorm;
    private final Map<float[], float[][]> moments = new IdentityHashMap<>();
    private int steps;

    private AdamW(Builder builder) {
        this.beta1 = builder.beta1;
        this.beta2 = builder.beta2;
        this.epsilon = builder.epsilon;
        this.weightDecay = builder.weightDecay;
        this.clipNorm = builder.clipNorm;
    }

    /** A builder with the usual defaults: beta1 0.9, beta2 0.999, epsilon 1e-8, no decay, no clipping. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A parameter array and its gradient, which must have the same length.
     *
     * @param decay whether weight decay applies (usually not to biases)
     */
    public record Parameter(float[] values, float[] gradient, boolean decay) {
        /** Validates the lengths. */
        public Parameter {
            Objects.requireNonNull(values, "values");
            Objects.requireNonNull(gradient, "gradient");
            if (values.length != gradient.length) {
                throw new IllegalArgumentException(values.length + " values but " + gradient.length + " gradients");
            }
        }
    }

    /**
     * Updates every parameter in place by one step at {@code learningRate}.
     *
     * @return the global gradient norm before clipping
     */
    public double step(List<Parameter> parameters, double learningRate) {
        double norm = globalNorm(parameters);
        double scale = norm > clipNorm ? clipNorm / norm : 1.0;
        steps++;
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2 = 1 - Math.pow(beta2, steps);
        for (Parameter parameter : parameters) {
            float[] w = parameter.values();
            float[][] mv = moments.computeIfAbsent(w, values -> new float[][] {new float[values.length],
                new float[values.length]});
            float[] m = mv[0];
            float[] v = mv[1];
            double decay = parameter.decay() ? weightDecay : 0.0;
            for (int i = 0; i < w.length; i++) {
                double g = parameter.gradient()[i] * scale;
                m[i] = (float) (beta1 * m[i] + (1 - beta1) * g);
                v[i] = (float) (beta2 * v[i] + (1 - beta2) * g * g);
                double update = (m[i] / correction1) / (Math.sqrt(v[i] / correction2) + epsilon) + decay * w[i];
                w[i] = (float) (w[i] - learningRate * update);
            }
        }
        return norm;
    }

    /** Steps taken so far. */
    public int steps() {
        return steps;
    }

    private static double globalNorm(List<Parameter> parameters) {
        double sum = 0;
        for (Parameter parameter : parameters) {
            for (float g : parameter.gradient()) {
                sum += (double) g * g;
            }
        }
        return Math.sqrt(sum);
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
