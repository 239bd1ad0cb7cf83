package dev.qrnnstreams.nn.translate;

import dev.qrnnstreams.nn.EmbeddingTable;
import dev.qrnnstreams.nn.GlorotUniform;
import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.QrnnBackend;
import dev.qrnnstreams.nn.QrnnLayer;
import dev.qrnnstreams.nn.QrnnLayerSpec;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.StepResult;
import dev.qrnnstreams.nn.kernel.Chunks;
import dev.qrnnstreams.nn.kernel.VectorKernels;
import dev.qrnnstreams.nn.kernel.WeightMatrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The parameters of a QRNN encoder-decoder translator (Bradbury et al. 2017, section 3.3), immutable.
 *
 * <p>The encoder is a causal QRNN stack over the source embedding; because it is causal, it can run
 * incrementally over a stream with {@link QrnnBackend#step}, and {@link TranslatorMemory#of} turns its
 * state and the outputs of the current segment into what the decoder reads. The decoder is a QRNN
 * stack over the target embedding whose layer L adds {@code V_L h~_L}, a linear projection of encoder
 * layer L's last hidden state, to its convolution output before the gate nonlinearities. Its last
 * layer's memory cells {@code c_t} attend over the encoder's last-layer outputs {@code h~_s}:
 * <pre>
 *   alpha_st = softmax_s(c_t . h~_s),   k_t = sum_s alpha_st h~_s,   h_t = o_t * (W_k k_t + W_c c_t)
 * </pre>
 * and {@code softmax(h_t W_out + b_out)} is the distribution of the next target token.
 * {@link TranslatorDecoder} runs the decoder one token at a time; the training pass ({@code nn.grad}) runs it
 * over a whole target sequence for training. Tensor names and layouts: {@link TranslatorSpec}.
 *
 * <p>Safe to share between threads.
 */
public final class QrnnTranslator {
    private final TranslatorSpec spec;
    private final Map<String, float[]> tensors;
    private final EmbeddingTable sourceEmbedding;
    private final EmbeddingTable targetEmbedding;
    private final QrnnStack encoder;
    private final QrnnStack decoder;
    private final List<WeightMatrix> encoderProjections;
    private final List<WeightMatrix> encoderProjectionsTransposed;
    private final WeightMatrix attentionOutput;
    private final WeightMatrix attentionOutputTransposed;
    private final WeightMatrix outputWeights;
    private final WeightMatrix outputWeightsTransposed;

    /**
     * Wraps parameter tensors named and shaped as {@link TranslatorSpec#tensorShapes()} says, copying them.
     *
     * @throws IllegalArgumentException if a tensor is missing, extra, or of the wrong size
     */
    public QrnnTranslator(TranslatorSpec spec, Map<String, float[]> tensors) {
        this.spec = Objects.requireNonNull(spec, "spec");
        Map<String, int[]> shapes = spec.tensorShapes();
        if (!shapes.keySet().equals(tensors.keySet())) {
            throw new IllegalArgumentException("expected tensors " + shapes.keySet() + ", got " + tensors.keySet());
        }
        Map<String, float[]> copies = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> entry : shapes.entrySet()) {
            float[] values = tensors.get(entry.getKey());
            if (values.length != TranslatorSpec.size(entry.getValue())) {
                throw new IllegalArgumentException(entry.getKey() + " must have " + TranslatorSpec.size(entry.getValue())
                        + " values, has " + values.length);
            }
            copies.put(entry.getKey(), values.clone());
        }
        this.tensors = copies;
        int h = spec.hiddenSize();
        int gates = Pooling.FO.gateCount() * h;
        this.sourceEmbedding = new EmbeddingTable(spec.sourceVocabularySize(), spec.embeddingSize(),
                copies.get("source.embedding"));
        this.targetEmbedding = new EmbeddingTable(spec.targetVocabularySize(), spec.embeddingSize(),
                copies.get("target.embedding"));
        this.encoder = stack(spec.encoderSpec(), "encoder");
        this.decoder = stack(spec.decoderSpec(), "decoder");
        List<WeightMatrix> projections = new ArrayList<>();
        List<WeightMatrix> transposed = new ArrayList<>();
        for (int l = 0; l < spec.layers(); l++) {
            float[] projection = copies.get("decoder." + l + ".encoderProjection");
            projections.add(new WeightMatrix(h, gates, projection));
            transposed.add(new WeightMatrix(gates, h, Chunks.transpose(projection, h, gates)));
        }
        this.encoderProjections = List.copyOf(projections);
        this.encoderProjectionsTransposed = List.copyOf(transposed);
        float[] attention = copies.get("attention.output");
        this.attentionOutput = new WeightMatrix(2 * h, h, attention);
        this.attentionOutputTransposed = new WeightMatrix(h, 2 * h, Chunks.transpose(attention, 2 * h, h));
        float[] output = copies.get("output.weights");
        this.outputWeights = new WeightMatrix(h, spec.targetVocabularySize(), output);
        this.outputWeightsTransposed = new WeightMatrix(spec.targetVocabularySize(), h,
                Chunks.transpose(output, h, spec.targetVocabularySize()));
    }

    /**
     * Fresh parameters: Gaussian embeddings with standard deviation 0.1, Glorot-uniform matrices
     * (limit {@code sqrt(6 / (in + out))}, per gate for the convolutions and projections), zero biases.
     */
    public static QrnnTranslator initial(TranslatorSpec spec, RandomGenerator random) {
        Map<String, float[]> tensors = new LinkedHashMap<>();
        int h = spec.hiddenSize();
        for (Map.Entry<String, int[]> entry : spec.tensorShapes().entrySet()) {
            int[] shape = entry.getValue();
            float[] values = new float[TranslatorSpec.size(shape)];
            String name = entry.getKey();
            if (name.endsWith("embedding")) {
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (random.nextGaussian() * 0.1);
                }
            } else if (!name.endsWith("bias")) {
                int fanOut = name.startsWith("encoder") || name.startsWith("decoder") ? h : shape[1];
                values = GlorotUniform.values(values.length, shape[0], fanOut, random);
            }
            tensors.put(name, values);
        }
        return new QrnnTranslator(spec, tensors);
    }

    private QrnnStack stack(QrnnStackSpec stackSpec, String prefix) {
        List<QrnnLayer> layers = new ArrayList<>();
        List<QrnnLayerSpec> specs = stackSpec.layerSpecs();
        for (int l = 0; l < specs.size(); l++) {
            layers.add(new QrnnLayer(specs.get(l), tensors.get(prefix + "." + l + ".weights"),
                    tensors.get(prefix + "." + l + ".bias")));
        }
        return new QrnnStack(stackSpec, layers);
    }

    /** The shape. */
    public TranslatorSpec spec() {
        return spec;
    }

    /** Copies of the parameter tensors, in {@link TranslatorSpec#tensorShapes()} order. */
    public Map<String, float[]> tensors() {
        Map<String, float[]> copies = new LinkedHashMap<>();
        tensors.forEach((name, values) -> copies.put(name, values.clone()));
        return copies;
    }

    /** The source embedding. */
    public EmbeddingTable sourceEmbedding() {
        return sourceEmbedding;
    }

    /** The target embedding. */
    public EmbeddingTable targetEmbedding() {
        return targetEmbedding;
    }

    /** The encoder stack, to run with {@link QrnnBackend#step} over source embeddings. */
    public QrnnStack encoder() {
        return encoder;
    }

    /** The decoder stack (its layers without the per-sequence encoder projection). */
    public QrnnStack decoder() {
        return decoder;
    }

    /**
     * The memory of a source sentence encoded in one pass from the zero state.
     *
     * @throws IllegalArgumentException if {@code sourceTokens} is empty or outside the vocabulary
     */
    public TranslatorMemory encode(QrnnBackend backend, int[] sourceTokens) {
        StepResult result = backend.step(encoder, QrnnState.initial(encoder), sourceEmbedding.lookup(sourceTokens));
        return TranslatorMemory.of(result.state(), result.outputs());
    }

    /** Decoder layer {@code l}'s bias plus {@code V_l h~_l}: the constant added to its convolution output. */
    public float[] decoderBias(int l, float[] encoderFinal) {
        float[] bias = decoder.layer(l).bias();
        float[] projected = new float[bias.length];
        VectorKernels.matmul(encoderFinal, 1, encoderProjections.get(l), projected);
        for (int i = 0; i < bias.length; i++) {
            bias[i] += projected[i];
        }
        return bias;
    }

    /** {@code V_l^T}, for back-propagation. */
    public WeightMatrix encoderProjectionTransposed(int l) {
        return encoderProjectionsTransposed.get(l);
    }

    /** The named tensor as {@link TranslatorSpec} lays it out. For backends in {@code nn.*}: the backing array, not a copy; never modify it. */
    public float[] tensor(String name) {
        return tensors.get(name);
    }

    /** {@code [W_k; W_c]}, packed for the kernels. */
    public WeightMatrix attentionOutput() {
        return attentionOutput;
    }

    /** {@code [W_k; W_c]^T}, for back-propagation. */
    public WeightMatrix attentionOutputTransposed() {
        return attentionOutputTransposed;
    }

    /** {@code W_out}, packed for the kernels. */
    public WeightMatrix outputWeights() {
        return outputWeights;
    }

    /** {@code W_out^T}, for back-propagation. */
    public WeightMatrix outputWeightsTransposed() {
        return outputWeightsTransposed;
    }
}
