package dev.qrnnstreams.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named-tensor value of a weights file: a shape and its float32 values, row-major.
 *
 * @param shape dimensions, each positive; the product is the number of values
 * @param values the values
 */
public record Tensor(int[] shape, float[] values) {

    /** Validates that the shape matches the values. */
    public Tensor {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(values, "values");
        long count = 1;
        for (int dimension : shape) {
            if (dimension < 1) {
                throw new IllegalArgumentException("dimension " + dimension + " in shape " + Arrays.toString(shape));
            }
            count *= dimension;
        }
        if (count != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + count + " values, has "
                    + values.length);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tensor that && Arrays.equals(shape, that.shape) && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
