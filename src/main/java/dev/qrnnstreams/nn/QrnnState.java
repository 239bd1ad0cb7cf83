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
 * <p>A classifier with a {@link Readout#POOLED pooled readout} also carries a summary of the last layer's
 * outputs so far ({@link PooledOutputs}); the backends step the layers only, and the readout carries the
 * summary across the step ({@link Readout#carry}).
 *
 * @param layers per-layer state, first to last
 * @param tokensSeen timesteps consumed since the initial state
 * @param pooled the summary of the last layer's outputs, or {@link PooledOutputs#NONE}
 */
public record QrnnState(List<LayerState> layers, long tokensSeen, PooledOutputs pooled) {

    /** A state with no pooled summary. */
    public QrnnState(List<LayerState> layers, long tokensSeen) {
        this(layers, tokensSeen, PooledOutputs.NONE);
    }

    /** Validates and copies the layer list. */
    public QrnnState {
        Objects.requireNonNull(pooled, "pooled");
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

    /** The zero state of a stack whose classifier reads it through {@code readout}. */
    public static QrnnState initial(QrnnStack stack, Readout readout) {
        return initial(stack).withPooled(readout.initialSummary(stack.outputSize()));
    }

    /** This state with another pooled summary. */
    public QrnnState withPooled(PooledOutputs summary) {
        return new QrnnState(layers, tokensSeen, summary);
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
