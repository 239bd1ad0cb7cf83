package dev.qrnnstreams.nn;

import java.util.List;
import java.util.Objects;

/**
 * The per-key state of a QRNN stack between chunks: one {@link LayerState} per layer and the number
 * of timesteps consumed so far.
 *
 * <p>Carrying this object across chunks is what makes streaming exact: running a sequence in any
 * split through {@link QrnnBackend#step} gives the outputs and final state of one pass over the whole
 * sequence. Immutable and safe to share; {@link QrnnStateCodec} encodes it for a state store.
 *
 * @param layers per-layer state, first to last
 * @param tokensSeen timesteps consumed since the initial state
 */
public record QrnnState(List<LayerState> layers, long tokensSeen) {

    /** Validates and copies the layer list. */
    public QrnnState {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a state needs at least one layer");
        }
        if (tokensSeen < 0) {
            throw new IllegalArgumentException("tokensSeen must not be negative, was " + tokensSeen);
        }
    }

    /** The zero state of a stack: the state before its first timestep. */
    public static QrnnState initial(QrnnStack stack) {
        return new QrnnState(stack.spec().layerSpecs().stream().map(LayerState::initial).toList(), 0);
    }

    /** Layer {@code index}'s state. */
    public LayerState layer(int index) {
        return layers.get(index);
    }

    /** The last layer's hidden output at the last timestep seen: what a classifier head reads. */
    public float[] lastHidden() {
        return layers.get(layers.size() - 1).hidden();
    }

    /** Whether this state has the sizes the given stack needs. */
    public boolean fits(QrnnStack stack) {
        List<QrnnLayerSpec> specs = stack.spec().layerSpecs();
        if (specs.size() != layers.size()) {
            return false;
        }
        for (int l = 0; l < specs.size(); l++) {
            if (!layers.get(l).fits(specs.get(l))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Fails unless this state fits the stack.
     *
     * @throws IllegalArgumentException naming the mismatch
     */
    public QrnnState requireFits(QrnnStack stack) {
        Objects.requireNonNull(stack, "stack");
        if (!fits(stack)) {
            throw new IllegalArgumentException("state " + layers + " does not fit stack " + stack.spec());
        }
        return this;
    }
}
