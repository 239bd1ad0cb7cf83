package dev.qrnnstreams.train;

import java.util.Objects;

/**
 * A trainable array and its gradient, which must have the same length, as an {@link Optimiser}
 * updates them.
 *
 * @param values the values, updated in place
 * @param gradient the gradient of the loss with respect to {@code values}
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
