package dev.qrnnstreams.nn;

import java.util.Objects;

/**
 * What one incremental step returns for one sequence: the stack's outputs for the chunk's timesteps
 * and the state after them.
 *
 * @param outputs {@code timesteps x outputSize} values, row-major: the last layer's {@code h_t}
 * @param timesteps number of timesteps in the chunk (may be 0)
 * @param state the state after the chunk, to pass to the next step of the same sequence
 */
public record StepResult(float[] outputs, int timesteps, QrnnState state) {

    /** Validates that the outputs hold whole timesteps. */
    public StepResult {
        Objects.requireNonNull(outputs, "outputs");
        Objects.requireNonNull(state, "state");
        if (timesteps < 0 || (timesteps == 0 ? outputs.length != 0 : outputs.length % timesteps != 0)) {
            throw new IllegalArgumentException(outputs.length + " outputs do not hold " + timesteps + " timesteps");
        }
    }

    /** Width of one output row. */
    public int outputSize() {
        return timesteps == 0 ? 0 : outputs.length / timesteps;
    }
}
