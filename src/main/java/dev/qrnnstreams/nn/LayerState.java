package dev.qrnnstreams.nn;

import java.util.Arrays;

/**
 * What one QRNN layer carries from one chunk to the next: the pooling memory {@code c_{t}}, the
 * hidden output {@code h_{t}} (equal to c for f-pooling), and the last {@code window - 1} inputs of
 * the layer, oldest first, that the masked convolution of the next timestep still reads.
 *
 * <p>Immutable: accessors return copies. Before any token the memory and window are zero, which is
 * the causal zero padding of a full-sequence pass.
 */
public final class LayerState {
    private final float[] cell;
    private final float[] hidden;
    private final float[] window;

    /** Wraps the arrays without copying, for backends in {@code nn.*}, which hand over arrays they no longer touch. */
    public LayerState(float[] cell, float[] hidden, float[] window) {
        this.cell = cell;
        this.hidden = hidden;
        this.window = window;
    }

    /** The zero state of a layer of the given shape. */
    static LayerState initial(QrnnLayerSpec spec) {
        float[] cell = new float[spec.hiddenSize()];
        float[] hidden = spec.pooling().hasOutputGate() ? new float[spec.hiddenSize()] : cell;
        return new LayerState(cell, hidden, new float[spec.carriedInputs() * spec.inputSize()]);
    }

    /**
     * A state from explicit values, copied.
     *
     * @param hidden the hidden output; ignored (may be null) when {@code pooling} has no output gate
     */
    public static LayerState of(Pooling pooling, float[] cell, float[] hidden, float[] window) {
        float[] c = cell.clone();
        if (!pooling.hasOutputGate()) {
            return new LayerState(c, c, window.clone());
        }
        if (hidden.length != cell.length) {
            throw new IllegalArgumentException("hidden has " + hidden.length + " units, cell " + cell.length);
        }
        return new LayerState(c, hidden.clone(), window.clone());
    }

    /** A copy of the pooling memory {@code c_t}. */
    public float[] cell() {
        return cell.clone();
    }

    /** A copy of the hidden output {@code h_t} of the last timestep seen. */
    public float[] hidden() {
        return hidden.clone();
    }

    /** A copy of the carried inputs: {@code window - 1} rows of the layer's input width, oldest first. */
    public float[] window() {
        return window.clone();
    }

    /** Whether this state has the sizes the given layer needs. */
    public boolean fits(QrnnLayerSpec spec) {
        return cell.length == spec.hiddenSize()
                && hidden.length == spec.hiddenSize()
                && (hidden == cell) != spec.pooling().hasOutputGate()
                && window.length == spec.carriedInputs() * spec.inputSize();
    }

    /** The memory cell c. For backends in {@code nn.*}: the backing array, not a copy; never modify it. */
    public float[] cellArray() {
        return cell;
    }

    /** The output h. For backends in {@code nn.*}: the backing array, not a copy; never modify it. */
    public float[] hiddenArray() {
        return hidden;
    }

    /** The carried inputs. For backends in {@code nn.*}: the backing array, not a copy; never modify it. */
    public float[] windowArray() {
        return window;
    }

    /** Whether h is c itself (f-pooling), so a backend updates one array. */
    public boolean sharesHiddenWithCell() {
        return hidden == cell;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LayerState that
                && sharesHiddenWithCell() == that.sharesHiddenWithCell()
                && Arrays.equals(cell, that.cell)
                && Arrays.equals(hidden, that.hidden)
                && Arrays.equals(window, that.window);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(cell) + Arrays.hashCode(hidden)) + Arrays.hashCode(window);
    }

    @Override
    public String toString() {
        return "LayerState[units=" + cell.length + ", carriedFloats=" + window.length + "]";
    }
}
