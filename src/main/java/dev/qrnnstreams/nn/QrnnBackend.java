package dev.qrnnstreams.nn;

import java.util.List;

/**
 * Runs QRNN stacks incrementally over a batch of independent sequences, each with its own state.
 *
 * <p>The contract every implementation keeps: for any split of a sequence into chunks, feeding the
 * chunks in order, each with the state the previous step returned, yields the same concatenated
 * outputs and final state as one step over the whole sequence from {@link QrnnState#initial}, up to
 * float32 rounding. Sequences in one batch do not affect each other.
 *
 * <p>Implementations may keep scratch buffers and are confined to one thread at a time; close them to
 * release native memory.
 */
public interface QrnnBackend extends AutoCloseable {

    /**
     * Advances each sequence by its chunk.
     *
     * @param stack the parameters
     * @param states one state per sequence, each fitting {@code stack}
     * @param chunks one chunk per sequence: {@code T_i x stack.inputSize()} row-major values, T_i >= 0
     * @return one result per sequence, in order
     * @throws IllegalArgumentException if a state does not fit, a chunk does not hold whole timesteps,
     *     or the lists differ in size
     */
    List<StepResult> step(QrnnStack stack, List<QrnnState> states, List<float[]> chunks);

    /** Advances one sequence by one chunk. */
    default StepResult step(QrnnStack stack, QrnnState state, float[] chunk) {
        return step(stack, List.of(state), List.of(chunk)).get(0);
    }

    /** A short name for logs and benchmark tables. */
    String name();

    /** Releases native resources; the backend is unusable afterwards. */
    @Override
    void close();
}
