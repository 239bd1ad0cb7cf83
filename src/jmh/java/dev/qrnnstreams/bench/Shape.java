package dev.qrnnstreams.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A benchmark shape: {@code batch} independent sequences of {@code chunk} timesteps each, written
 * {@code "8x64"} in JMH parameters.
 *
 * @param batch sequences per call
 * @param chunk timesteps per sequence
 */
record Shape(int batch, int chunk) {
    /** The shapes every QRNN and LSTM benchmark runs, in table order. */
    static final List<String> ALL = List.of("1x1", "1x8", "1x64", "8x64", "64x8", "256x8", "8x512");

    /** Parses {@code "batch x chunk"}. */
    static Shape parse(String text) {
        String[] parts = text.split("x");
        if (parts.length != 2) {
            throw new IllegalArgumentException("shape must look like 8x64, was " + text);
        }
        return new Shape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }

    /** Timesteps per call: {@code batch * chunk}. */
    int tokens() {
        return batch * chunk;
    }

    /** {@code batch} chunks of {@code chunk x width} values, uniform in [-1, 1). */
    List<float[]> randomChunks(int width, SplittableRandom random) {
        List<float[]> chunks = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            chunks.add(randomValues(chunk * width, random));
        }
        return chunks;
    }

    static float[] randomValues(int length, SplittableRandom random) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        return values;
    }

    @Override
    public String toString() {
        return batch + "x" + chunk;
    }
}
