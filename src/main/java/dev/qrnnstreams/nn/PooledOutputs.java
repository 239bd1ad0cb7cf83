package dev.qrnnstreams.nn;

import java.util.Arrays;

/**
 * Running summaries of the last layer's outputs over every timestep a key has seen: their elementwise sum
 * and maximum. With the count of timesteps ({@link QrnnState#tokensSeen}) they give the mean and the max
 * over time that a {@link Readout#POOLED pooled readout} reads. Both are updated one timestep after the
 * other in the same order however a text is split into messages, so carrying them in the state keeps
 * streaming exact.
 *
 * <p>Immutable; {@link #NONE} (no arrays) is the summary of a state whose model reads the last output only.
 *
 * @param sum the elementwise sum of the outputs so far
 * @param max the elementwise maximum of the outputs so far ({@code -infinity} before the first)
 */
public record PooledOutputs(float[] sum, float[] max) {
    /** No summary: the model reads the last output only. */
    public static final PooledOutputs NONE = new PooledOutputs(new float[0], new float[0]);

    /**
     * Validates the widths and takes the arrays over without copying (as {@link LayerState} does): a summary is
     * made once per key and message, and its makers ({@link #advance}, the state codec) hand over fresh arrays
     * they no longer touch. The accessors return copies.
     */
    public PooledOutputs {
        if (sum.length != max.length) {
            throw new IllegalArgumentException("sum and max differ in width: " + sum.length + " and " + max.length);
        }
    }

    /** The summary of no timestep, {@code width} wide. */
    public static PooledOutputs initial(int width) {
        float[] max = new float[width];
        Arrays.fill(max, Float.NEGATIVE_INFINITY);
        return new PooledOutputs(new float[width], max);
    }

    /** Whether this is {@link #NONE}. */
    public boolean isEmpty() {
        return sum.length == 0;
    }

    /** The width of the summarised outputs. */
    public int width() {
        return sum.length;
    }

    /** This summary after {@code timesteps} more rows of {@code outputs} ({@code timesteps x width}), in order. */
    public PooledOutputs advance(float[] outputs, int timesteps) {
        int width = width();
        if (outputs.length < (long) timesteps * width) {
            throw new IllegalArgumentException(timesteps + " timesteps of width " + width + " need "
                    + (long) timesteps * width + " values, got " + outputs.length);
        }
        float[] newSum = sum.clone();
        float[] newMax = max.clone();
        for (int t = 0; t < timesteps; t++) {
            for (int u = 0; u < width; u++) {
                float value = outputs[t * width + u];
                newSum[u] += value;
                newMax[u] = Math.max(newMax[u], value);
            }
        }
        return new PooledOutputs(newSum, newMax);
    }

    /** A copy of the sum. */
    @Override
    public float[] sum() {
        return sum.clone();
    }

    /** A copy of the maximum. */
    @Override
    public float[] max() {
        return max.clone();
    }

    /** Equal when both arrays hold the same values. */
    @Override
    public boolean equals(Object other) {
        return other instanceof PooledOutputs that && Arrays.equals(sum, that.sum) && Arrays.equals(max, that.max);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(sum) + Arrays.hashCode(max);
    }

    @Override
    public String toString() {
        return "PooledOutputs[sum=" + Arrays.toString(sum) + ", max=" + Arrays.toString(max) + "]";
    }

    /** Writes {@code [mean; max]} over {@code count} timesteps into {@code target} from {@code offset} (zeros for none). */
    void writeMeanAndMax(long count, float[] target, int offset) {
        int width = width();
        for (int u = 0; u < width; u++) {
            target[offset + u] = count == 0 ? 0f : (float) (sum[u] / (double) count);
            target[offset + width + u] = count == 0 ? 0f : max[u];
        }
    }
}
