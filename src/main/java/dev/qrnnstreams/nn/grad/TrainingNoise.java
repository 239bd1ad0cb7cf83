package dev.qrnnstreams.nn.grad;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The random masks of training: input dropout (Srivastava et al. 2014, inverted so that inference
 * needs no rescaling) and zoneout on the forget gate (Krueger et al. 2016, as adapted by Bradbury et
 * al. 2017, section 2.1: {@code F = 1 - dropout(1 - sigma(W_f * X))}, i.e. a channel is forced to 1
 * with probability p).
 *
 * <p>Passing an instance to a training forward pass ({@link QrnnStackBackprop#forward},
 * {@link TranslatorBackprop#forward}) switches it from the inference forms to the random masks; a seeded generator
 * makes the masks repeatable. Not thread-safe: one instance per training thread.
 */
public final class TrainingNoise {
    private final RandomGenerator random;

    /** Noise drawn from {@code random}. */
    public TrainingNoise(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * An inverted-dropout mask of {@code length} factors: 0 with probability p, {@code 1 / (1 - p)}
     * otherwise. Multiplying an input by it is the forward pass; multiplying its gradient by it is the
     * backward pass.
     */
    float[] dropoutMask(int length, double p) {
        float[] mask = new float[length];
        float keepScale = (float) (1.0 / (1.0 - p));
        for (int i = 0; i < length; i++) {
            mask[i] = draw(p) ? 0f : keepScale;
        }
        return mask;
    }

    /** {@code values} times a {@link #dropoutMask} element-wise, or {@code values} itself for no mask (null). */
    static float[] masked(float[] values, float[] mask) {
        if (mask == null) {
            return values;
        }
        float[] product = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            product[i] = values[i] * mask[i];
        }
        return product;
    }

    /** True with probability p. */
    boolean draw(double p) {
        return random.nextDouble() < p;
    }
}
