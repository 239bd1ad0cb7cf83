package dev.qrnnstreams.nn;

import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A stack of QRNN layers with fixed parameters: the unit a {@link QrnnBackend} runs.
 *
 * <p>Instances are immutable and safe to share between threads.
 *
 * @see QrnnStackSpec for how layers are connected
 */
public final class QrnnStack {
    private final QrnnStackSpec spec;
    private final List<QrnnLayer> layers;

    /**
     * Assembles a stack from its layers.
     *
     * @throws IllegalArgumentException if the layers do not have the shapes the spec derives
     */
    public QrnnStack(QrnnStackSpec spec, List<QrnnLayer> layers) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.layers = List.copyOf(layers);
        List<QrnnLayerSpec> expected = spec.layerSpecs();
        if (!expected.equals(this.layers.stream().map(QrnnLayer::spec).toList())) {
            throw new IllegalArgumentException("layer shapes " + this.layers.stream().map(QrnnLayer::spec).toList()
                    + " do not match the stack spec " + expected);
        }
    }

    /** A stack whose layers are initialised by {@link QrnnLayer#glorotUniform}. */
    public static QrnnStack glorotUniform(QrnnStackSpec spec, RandomGenerator random) {
        return new QrnnStack(spec, spec.layerSpecs().stream().map(s -> QrnnLayer.glorotUniform(s, random)).toList());
    }

    /** The stack's shape. */
    public QrnnStackSpec spec() {
        return spec;
    }

    /** The layers, first to last. */
    public List<QrnnLayer> layers() {
        return layers;
    }

    /** Layer {@code index}, 0-based. */
    public QrnnLayer layer(int index) {
        return layers.get(index);
    }

    /** Features per timestep entering the stack. */
    public int inputSize() {
        return spec.inputSize();
    }

    /** Features per timestep leaving the stack: the last layer's hidden size. */
    public int outputSize() {
        return spec.hiddenSize();
    }
}
