package dev.qrnnstreams.nn;

import java.util.Objects;

/**
 * Shape and regularisation of one QRNN layer (Bradbury et al. 2017, section 2).
 *
 * <p>The layer convolves a window of {@code window} consecutive inputs of {@code inputSize} features
 * (masked, so timestep t sees only {@code x_{t-window+1} .. x_t}, with zeros before the sequence
 * start) into {@link Pooling#gateCount()} vectors of {@code hiddenSize} each, then pools them over
 * time.
 *
 * @param inputSize features per input timestep
 * @param hiddenSize hidden units (the layer's output width)
 * @param window convolution width k, at least 1
 * @param pooling the recurrent pooling function
 * @param zoneout probability that a forget-gate channel is forced to 1 during training
 * @param dropout probability that a layer input is dropped during training
 */
public record QrnnLayerSpec(
        int inputSize, int hiddenSize, int window, Pooling pooling, double zoneout, double dropout) {

    /** Validates the fields; see {@link #builder()} for the usual way to make one. */
    public QrnnLayerSpec {
        Objects.requireNonNull(pooling, "pooling");
        requirePositive(inputSize, "inputSize");
        requirePositive(hiddenSize, "hiddenSize");
        requirePositive(window, "window");
        requireProbability(zoneout, "zoneout");
        requireProbability(dropout, "dropout");
    }

    /** Rows of the packed weight matrix: {@code window * inputSize}. */
    public int convolutionRows() {
        return window * inputSize;
    }

    /** Columns of the packed weight matrix: {@code gateCount * hiddenSize}. */
    public int convolutionColumns() {
        return pooling.gateCount() * hiddenSize;
    }

    /** Previous inputs the layer must remember between chunks: {@code window - 1}. */
    public int carriedInputs() {
        return window - 1;
    }

    /** A copy with another input width. */
    public QrnnLayerSpec withInputSize(int newInputSize) {
        return new QrnnLayerSpec(newInputSize, hiddenSize, window, pooling, zoneout, dropout);
    }

    /** A builder with window 2, fo-pooling and no regularisation. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The size check every spec of the model shares.
     *
     * @throws IllegalArgumentException naming {@code name} unless {@code value >= 1}
     */
    public static void requirePositive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
    }

    static void requireProbability(double value, String name) {
        if (!(value >= 0.0 && value < 1.0)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), was " + value);
        }
    }

    /** Builds a {@link QrnnLayerSpec}; validation happens in {@link #build()}. */
    public static final class Builder {
        private int inputSize;
        private int hiddenSize;
        private int window = 2;
        private Pooling pooling = Pooling.FO;
        private double zoneout;
        private double dropout;

        private Builder() {
        }

        /** Features per input timestep. */
        public Builder inputSize(int value) {
            inputSize = value;
            return this;
        }

        /** Hidden units. */
        public Builder hiddenSize(int value) {
            hiddenSize = value;
            return this;
        }

        /** Convolution width k (default 2). */
        public Builder window(int value) {
            window = value;
            return this;
        }

        /** Pooling function (default fo). */
        public Builder pooling(Pooling value) {
            pooling = value;
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
        public QrnnLayerSpec build() {
            return new QrnnLayerSpec(inputSize, hiddenSize, window, pooling, zoneout, dropout);
        }
    }
}
