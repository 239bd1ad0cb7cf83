package dev.qrnnstreams.train;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-parameter optimiser state arrays keyed by the identity of the parameter's value array, and the
 * global-norm clipping both optimisers share.
 */
final class Moments {
    private final int slots;
    private final Map<float[], float[][]> byParameter = new IdentityHashMap<>();

    Moments(int slots) {
        this.slots = slots;
    }

    float[][] of(float[] values) {
        return byParameter.computeIfAbsent(values, v -> {
            float[][] arrays = new float[slots][];
            for (int s = 0; s < slots; s++) {
                arrays[s] = new float[v.length];
            }
            return arrays;
        });
    }

    Optimiser.State state(int steps, List<float[]> values) {
        List<float[]> copies = new ArrayList<>();
        for (float[] v : values) {
            for (float[] slot : of(v)) {
                copies.add(slot.clone());
            }
        }
        return new Optimiser.State(steps, copies);
    }

    void restore(List<float[]> values, Optimiser.State state) {
        if (state.slots().size() != values.size() * slots) {
            throw new IllegalArgumentException("the state holds " + state.slots().size() + " arrays, not " + slots
                    + " for each of " + values.size() + " parameters");
        }
        for (int p = 0; p < values.size(); p++) {
            float[][] arrays = of(values.get(p));
            for (int s = 0; s < slots; s++) {
                float[] saved = state.slots().get(p * slots + s);
                if (saved.length != arrays[s].length) {
                    throw new IllegalArgumentException("state array " + (p * slots + s) + " has " + saved.length
                            + " values, the parameter " + arrays[s].length);
                }
                System.arraycopy(saved, 0, arrays[s], 0, saved.length);
            }
        }
    }

    /** The factor that scales the gradients down to a global norm of {@code clipNorm}: at most 1. */
    static double clipScale(double norm, double clipNorm) {
        return norm > clipNorm ? clipNorm / norm : 1.0;
    }

    static double globalNorm(List<Parameter> parameters) {
        double sum = 0;
        for (Parameter parameter : parameters) {
            for (float g : parameter.gradient()) {
                sum += (double) g * g;
            }
        }
        return Math.sqrt(sum);
    }
}
