package dev.qrnnstreams.nn;

import java.util.random.RandomGenerator;

/**
 * Glorot-uniform initial weights (Glorot and Bengio, AISTATS 2010): each value drawn uniformly from
 * {@code [-l, l)} with {@code l = sqrt(6 / (fanIn + fanOut))}, in index order, one draw per value.
 */
public final class GlorotUniform {

    private GlorotUniform() {
    }

    /** {@code count} values for a layer with {@code fanIn} inputs and {@code fanOut} outputs. */
    public static float[] values(int count, int fanIn, int fanOut, RandomGenerator random) {
        float[] values = new float[count];
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextDouble(-limit, limit);
        }
        return values;
    }
}
