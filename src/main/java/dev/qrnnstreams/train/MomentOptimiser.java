package dev.qrnnstreams.train;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What AdamW and RMSprop share: clipping of the global gradient norm, decoupled weight decay on the
 * parameters that take it, the step count, and per-parameter state arrays ("slots") keyed by the
 * identity of the parameter's value array, saved and restored in the order of the arrays given.
 * Subclasses say only how one parameter's values move.
 */
abstract class MomentOptimiser implements Optimiser {
    private final int slots;
    private final double weightDecay;
    private final double clipNorm;
    private final Map<float[], float[][]> byParameter = new IdentityHashMap<>();
    private int steps;

    MomentOptimiser(int slots, double weightDecay, double clipNorm) {
        this.slots = slots;
        this.weightDecay = weightDecay;
        this.clipNorm = clipNorm;
    }

    /**
     * Moves one parameter's values {@code w} against its clipped gradient.
     *
     * @param w the values, updated in place
     * @param gradient the raw gradient
     * @param scale the clipping factor to apply to the gradient
     * @param state this parameter's slot arrays, updated in place
     * @param decay the decoupled weight decay for this parameter (0 where it takes none)
     * @param learningRate the step's learning rate
     * @param step the 1-based number of this step
     */
    abstract void update(float[] w, float[] gradient, double scale, float[][] state, double decay,
                         double learningRate, int step);

    @Override
    public final double step(List<Parameter> parameters, double learningRate) {
        double norm = globalNorm(parameters);
        double scale = norm > clipNorm ? clipNorm / norm : 1.0;
        steps++;
        for (Parameter parameter : parameters) {
            update(parameter.values(), parameter.gradient(), scale, of(parameter.values()),
                    parameter.decay() ? weightDecay : 0.0, learningRate, steps);
        }
        return norm;
    }

    @Override
    public final int steps() {
        return steps;
    }

    @Override
    public final int slotsPerParameter() {
        return slots;
    }

    @Override
    public final State state(List<float[]> values) {
        List<float[]> copies = new ArrayList<>();
        for (float[] v : values) {
            for (float[] slot : of(v)) {
                copies.add(slot.clone());
            }
        }
        return new State(steps, copies);
    }

    @Override
    public final void restore(List<float[]> values, State state) {
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
        steps = state.steps();
    }

    private float[][] of(float[] values) {
        return byParameter.computeIfAbsent(values, v -> {
            float[][] arrays = new float[slots][];
            for (int s = 0; s < slots; s++) {
                arrays[s] = new float[v.length];
            }
            return arrays;
        });
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
}
