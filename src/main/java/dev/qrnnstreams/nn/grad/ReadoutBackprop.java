package dev.qrnnstreams.nn.grad;

import dev.qrnnstreams.nn.Readout;

/**
 * The backward pass of a {@link Readout}: the gradient of the head's input after the first
 * {@code timesteps} outputs, sent back to those outputs. The last output receives its own part; under
 * {@link Readout#POOLED} every output so far also receives the mean's part divided by their count, and
 * each unit's maximum (its first occurrence) the max's part.
 */
public final class ReadoutBackprop {

    private ReadoutBackprop() {
    }

    /**
     * Adds to {@code dOutputs} ({@code T x width}) the gradient that {@code dFeatures} (the gradient of
     * {@code readout.features(outputs, timesteps, width)}) sends back.
     */
    public static void backward(Readout readout, float[] outputs, int timesteps, int width, float[] dFeatures,
                                float[] dOutputs) {
        int last = (timesteps - 1) * width;
        for (int u = 0; u < width; u++) {
            dOutputs[last + u] += dFeatures[u];
        }
        if (readout == Readout.LAST) {
            return;
        }
        float share = 1f / timesteps;
        for (int u = 0; u < width; u++) {
            float dMean = dFeatures[width + u] * share;
            int argmax = 0;
            for (int t = 0; t < timesteps; t++) {
                dOutputs[t * width + u] += dMean;
                if (outputs[t * width + u] > outputs[argmax * width + u]) {
                    argmax = t;
                }
            }
            dOutputs[argmax * width + u] += dFeatures[2 * width + u];
        }
    }
}
