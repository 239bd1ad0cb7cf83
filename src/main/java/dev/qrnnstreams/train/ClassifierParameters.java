package dev.qrnnstreams.train;

import dev.qrnnstreams.nn.DenseBottleneck;
import dev.qrnnstreams.nn.EmbeddingTable;
import dev.qrnnstreams.nn.LinearSoftmaxHead;
import dev.qrnnstreams.nn.QrnnLayer;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.nn.Readout;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The trainable values of a QRNN text classifier (its {@link InputStage}: an embedding, or a projection's
 * bottleneck; the stack; the softmax head) as mutable arrays
 * that an optimiser updates in place, and immutable snapshots of them for the forward pass.
 *
 * <p>Not thread-safe: owned by one training loop.
 */
public final class ClassifierParameters {
    private final QrnnStackSpec spec;
    private final Readout readout;
    private final int classes;
    private final InputStage input;
    private final List<float[]> layerWeights;
    private final List<float[]> layerBiases;
    private final float[] headWeights;
    private final float[] headBias;

    private ClassifierParameters(QrnnStackSpec spec, Readout readout, int classes, InputStage input, QrnnStack stack,
                                 LinearSoftmaxHead head) {
        this.spec = spec;
        this.readout = readout;
        this.classes = classes;
        this.input = input;
        this.layerWeights = new ArrayList<>();
        this.layerBiases = new ArrayList<>();
        for (QrnnLayer layer : stack.layers()) {
            layerWeights.add(layer.packedWeights());
            layerBiases.add(layer.bias());
        }
        this.headWeights = head.weights();
        this.headBias = head.bias();
    }

    /**
     * Fresh parameters: a Gaussian embedding with standard deviation 0.1, Glorot-uniform layers and head.
     *
     * @param spec the stack; its input size is the embedding width
     */
    public static ClassifierParameters initial(QrnnStackSpec spec, int vocabularySize, int classes,
                                               RandomGenerator random) {
        return new ClassifierParameters(spec, Readout.LAST, classes, new InputStage.Embedding(vocabularySize, spec.inputSize(),
                EmbeddingTable.gaussian(vocabularySize, spec.inputSize(), 0.1, random).vectors()),
                QrnnStack.glorotUniform(spec, random),
                LinearSoftmaxHead.glorotUniform(spec.hiddenSize(), classes, random));
    }

    /**
     * Fresh parameters of a projection classifier: a Glorot-uniform bottleneck from the projection of
     * {@code pieces} to the stack's input, Glorot-uniform layers and head.
     */
    public static ClassifierParameters initialProjected(QrnnStackSpec spec, PieceTable pieces, int classes,
                                                        RandomGenerator random) {
        DenseBottleneck bottleneck = DenseBottleneck.glorotUniform(pieces.spec().features(), spec.inputSize(),
                random);
        return new ClassifierParameters(spec, Readout.LAST, classes, new InputStage.Projection(pieces, spec.inputSize(),
                bottleneck.weights(), bottleneck.bias()), QrnnStack.glorotUniform(spec, random),
                LinearSoftmaxHead.glorotUniform(spec.hiddenSize(), classes, random));
    }

    /**
     * These parameters with the head reading through {@code newReadout}: the same live input and layer arrays,
     * and a fresh Glorot-uniform head of the readout's width.
     */
    public ClassifierParameters withReadout(Readout newReadout, RandomGenerator random) {
        return new ClassifierParameters(spec, newReadout, classes, input, stack(),
                LinearSoftmaxHead.glorotUniform(newReadout.width(spec.hiddenSize()), classes, random));
    }

    /** What the head reads. */
    public Readout readout() {
        return readout;
    }

    /** The head's classes (for a language model, the vocabulary's ids). */
    public int classes() {
        return classes;
    }

    /** The stack's shape. */
    public QrnnStackSpec spec() {
        return spec;
    }

    /** The input stage, whose arrays are live. */
    public InputStage input() {
        return input;
    }

    /**
     * A snapshot of the embedding.
     *
     * @throws IllegalStateException if the input is a projection
     */
    public EmbeddingTable embedding() {
        if (input instanceof InputStage.Embedding embedding) {
            return embedding.table();
        }
        throw new IllegalStateException("a projection classifier has no embedding");
    }

    /** A snapshot of the stack. */
    public QrnnStack stack() {
        List<QrnnLayer> layers = new ArrayList<>();
        for (int l = 0; l < spec.layers(); l++) {
            layers.add(new QrnnLayer(spec.layerSpecs().get(l), layerWeights.get(l), layerBiases.get(l)));
        }
        return new QrnnStack(spec, layers);
    }

    /** A snapshot of the head. */
    public LinearSoftmaxHead head() {
        return new LinearSoftmaxHead(readout.width(spec.hiddenSize()), classes, headWeights, headBias);
    }

    /**
     * The parameters paired with their gradients, for {@link AdamW#step}; weight decay applies to
     * weight matrices, not to biases or the embedding.
     */
    public List<Parameter> paired(ClassifierGradients gradients) {
        List<Parameter> pairs = new ArrayList<>();
        for (int i = 0; i < input.values().size(); i++) {
            pairs.add(new Parameter(input.values().get(i), gradients.input().get(i), input.decays().get(i)));
        }
        for (int l = 0; l < spec.layers(); l++) {
            pairs.add(new Parameter(layerWeights.get(l), gradients.layerWeights().get(l), true));
            pairs.add(new Parameter(layerBiases.get(l), gradients.layerBiases().get(l), false));
        }
        pairs.add(new Parameter(headWeights, gradients.headWeights(), true));
        pairs.add(new Parameter(headBias, gradients.headBias(), false));
        return pairs;
    }

    /**
     * The live value arrays in a fixed order (the input stage's: the embedding, or the bottleneck's
     * weights and bias; then weights and bias of each layer, then the head's weights and bias), the same
     * order as {@link #paired}: an optimiser's state and a checkpoint refer to parameters by this order.
     */
    public List<float[]> values() {
        List<float[]> values = new ArrayList<>(input.values());
        for (int l = 0; l < spec.layers(); l++) {
            values.add(layerWeights.get(l));
            values.add(layerBiases.get(l));
        }
        values.add(headWeights);
        values.add(headBias);
        return values;
    }

    /**
     * Overwrites every value with {@code saved}, arrays in the order of {@link #values()}.
     *
     * @throws IllegalArgumentException if the number or the lengths of the arrays differ
     */
    public void load(List<float[]> saved) {
        List<float[]> values = values();
        if (saved.size() != values.size()) {
            throw new IllegalArgumentException(saved.size() + " arrays given for " + values.size() + " parameters");
        }
        for (int i = 0; i < values.size(); i++) {
            if (saved.get(i).length != values.get(i).length) {
                throw new IllegalArgumentException("array " + i + " has " + saved.get(i).length + " values, not "
                        + values.get(i).length);
            }
            System.arraycopy(saved.get(i), 0, values.get(i), 0, saved.get(i).length);
        }
    }
}
