package dev.qrnnstreams.train;

import java.util.List;

/**
 * A first-order optimiser that updates {@link Parameter}s in place, with per-value state (moments)
 * that a checkpoint can save and restore.
 *
 * <p>Implementations are not thread-safe: one optimiser per training loop.
 */
public interface Optimiser {

    /**
     * Updates every parameter in place by one step at {@code learningRate}.
     *
     * @return the global gradient norm before clipping
     */
    double step(List<Parameter> parameters, double learningRate);

    /** Steps taken so far. */
    int steps();

    /** Number of state arrays kept per parameter array (2 for Adam's moments, 1 for RMSprop's). */
    int slotsPerParameter();

    /**
     * A copy of the state for the given parameter arrays, {@link #slotsPerParameter()} arrays per
     * parameter in the order given (zeros for a parameter never stepped).
     */
    State state(List<float[]> values);

    /** Replaces the state for the given parameter arrays with {@code state}, as {@link #state} made it. */
    void restore(List<float[]> values, State state);

    /**
     * An optimiser's state.
     *
     * @param steps steps taken
     * @param slots the state arrays, {@link #slotsPerParameter()} per parameter array
     */
    record State(int steps, List<float[]> slots) {
        /** Copies the list. */
        public State {
            slots = List.copyOf(slots);
        }
    }
}
