package dev.qrnnstreams.nn;

/**
 * What a classifier's head reads from a key's state: the last layer's output at the last timestep, or that
 * output with the mean and the maximum over every timestep so far ({@code [h_t; mean h; max h]}, the
 * pooling over time of classifiers that read a whole text, kept causal and carried in the state as
 * {@link PooledOutputs}).
 */
public enum Readout {
    /** {@code h_t}. */
    LAST,
    /** {@code [h_t; mean_{s <= t} h_s; max_{s <= t} h_s]}. */
    POOLED;

    /** The width of the features for a stack whose outputs are {@code hiddenSize} wide. */
    public int width(int hiddenSize) {
        return this == LAST ? hiddenSize : 3 * hiddenSize;
    }

    /** The summary the state of a fresh key carries for this readout of {@code hiddenSize} outputs. */
    public PooledOutputs initialSummary(int hiddenSize) {
        return this == LAST ? PooledOutputs.NONE : PooledOutputs.initial(hiddenSize);
    }

    /**
     * The state after a step from {@code before}: the stack's new state {@code after} with the summary of
     * {@code before} advanced by the step's {@code outputs} ({@code timesteps} rows).
     */
    public QrnnState carry(QrnnState before, QrnnState after, float[] outputs, int timesteps) {
        if (this == LAST) {
            return after;
        }
        return after.withPooled(before.pooled().advance(outputs, timesteps));
    }

    /** The head's input from {@code state}. */
    public float[] features(QrnnState state) {
        float[] last = state.lastHidden();
        if (this == LAST) {
            return last;
        }
        if (state.pooled().width() != last.length) {
            throw new IllegalArgumentException("the state carries no pooled summary of its " + last.length
                    + " outputs");
        }
        float[] features = new float[3 * last.length];
        System.arraycopy(last, 0, features, 0, last.length);
        state.pooled().writeMeanAndMax(state.tokensSeen(), features, last.length);
        return features;
    }

    /**
     * The head's input after the first {@code timesteps} rows of {@code outputs} ({@code width} wide) from the
     * zero state: what {@link #features(QrnnState)} gives after a stream of those timesteps in any split.
     */
    public float[] features(float[] outputs, int timesteps, int width) {
        if (timesteps < 1) {
            throw new IllegalArgumentException("features need at least one timestep, got " + timesteps);
        }
        float[] features = new float[width(width)];
        System.arraycopy(outputs, (timesteps - 1) * width, features, 0, width);
        if (this == POOLED) {
            PooledOutputs.initial(width).advance(outputs, timesteps).writeMeanAndMax(timesteps, features, width);
        }
        return features;
    }
}
