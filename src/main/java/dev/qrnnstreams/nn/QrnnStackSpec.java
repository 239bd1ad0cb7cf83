package dev.qrnnstreams.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Shape of a stack of QRNN layers, optionally densely connected.
 *
 * <p>Every layer has the same width and window; the pooling function may differ per layer.
 * Without dense connections layer 1 reads the stack input and layer l > 1 reads the output of
 * layer l-1. With dense connections (Bradbury et al. 2017, section 2.1, after Huang et al. 2016)
 * layer l reads the concatenation, along features, of the stack input and the outputs of all
 * earlier layers: {@code x_l = [x; h_1; ...; h_{l-1}]}. In both cases the stack's output is the
 * output of the last layer.
 *
 * @param inputSize features per timestep entering the stack (the embedding width)
 * @param hiddenSize hidden units of every layer
 * @param layers number of layers, at least 1
 * @param window convolution width k of every layer
 * @param poolings pooling function of each layer, first to last
 * @param dense whether layers are densely connected
 * @param zoneout zoneout probability of every layer during training
 * @param dropout input dropout probability of every layer during training
 */
public record QrnnStackSpec(
        int inputSize, int hiddenSize, int layers, int window, List<Pooling> poolings, boolean dense,
        double zoneout, double dropout) {

    /** Validates the fields by deriving every layer's spec. */
    public QrnnStackSpec {
        QrnnLayerSpec.requirePositive(layers, "layers");
        poolings = List.copyOf(poolings);
        if (poolings.size() != layers) {
            throw new IllegalArgumentException(poolings.size() + " poolings for " + layers + " layers");
        }
        for (Pooling pooling : poolings) {
            new QrnnLayerSpec(inputSize, hiddenSize, window, pooling, zoneout, dropout);
        }
    }

    /** This stack with other training-time regularisation; the shapes, and so the weights, stay the same. */
    public QrnnStackSpec withRegularisation(double newZoneout, double newDropout) {
        return new QrnnStackSpec(inputSize, hiddenSize, layers, window, poolings, dense, newZoneout, newDropout);
    }

    /** The pooling function of layer {@code index} (0-based). */
    public Pooling pooling(int index) {
        return poolings.get(index);
    }

    /** The input width of layer {@code index} (0-based). */
    public int layerInputSize(int index) {
        if (index == 0) {
            return inputSize;
        }
        return dense ? inputSize + index * hiddenSize : hiddenSize;
    }

    /** The specs of all layers, first to last. */
    public List<QrnnLayerSpec> layerSpecs() {
        List<QrnnLayerSpec> specs = new ArrayList<>(layers);
        for (int l = 0; l < layers; l++) {
            specs.add(new QrnnLayerSpec(layerInputSize(l), hiddenSize, window, poolings.get(l), zoneout, dropout));
        }
        return List.copyOf(specs);
    }

    /** A builder with one layer, window 2, fo-pooling, no dense connections and no regularisation. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link QrnnStackSpec}; validation happens in {@link #build()}. */
    public static final class Builder {
        private int inputSize;
        private int hiddenSize;
        private int layers = 1;
        private int window = 2;
        private Pooling pooling = Pooling.FO;
        private final Map<Integer, Pooling> layerPoolings = new TreeMap<>();
        private boolean dense;
        private double zoneout;
        private double dropout;

        private Builder() {
        }

        /** Features per timestep entering the stack. */
        public Builder inputSize(int value) {
            inputSize = value;
            return this;
        }

        /** Hidden units of every layer. */
        public Builder hiddenSize(int value) {
            hiddenSize = value;
            return this;
        }

        /** Number of layers (default 1). */
        public Builder layers(int value) {
            layers = value;
            return this;
        }

        /** Convolution width k (default 2). */
        public Builder window(int value) {
            window = value;
            return this;
        }

        /** Pooling function of every layer not set by {@link #pooling(int, Pooling)} (default fo). */
        public Builder pooling(Pooling value) {
            pooling = value;
            return this;
        }

        /** Pooling function of layer {@code index} (0-based), overriding {@link #pooling(Pooling)}. */
        public Builder pooling(int index, Pooling value) {
            layerPoolings.put(index, value);
            return this;
        }

        /** Whether layers are densely connected (default false). */
        public Builder dense(boolean value) {
            dense = value;
            return this;
        }

        /** Zoneout probability for training (default 0). */
        public Builder zoneout(double value) {
            zoneout = value;
            return this;
        }

        /** Input dropout probability for training (default 0). */
        public Builder dropout(double value) {
            dropout = value;
            return this;
        }

        /** Validates and builds. */
        public QrnnStackSpec build() {
            QrnnLayerSpec.requirePositive(layers, "layers");
            for (int index : layerPoolings.keySet()) {
                if (index < 0 || index >= layers) {
                    throw new IllegalArgumentException("pooling set for layer " + index + " of " + layers);
                }
            }
            List<Pooling> poolings = new ArrayList<>(layers);
            for (int l = 0; l < layers; l++) {
                poolings.add(layerPoolings.getOrDefault(l, pooling));
            }
            return new QrnnStackSpec(inputSize, hiddenSize, layers, window, poolings, dense, zoneout, dropout);
        }
    }
}
