package dev.qrnnstreams.nn.translate;

import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.QrnnLayer;
import dev.qrnnstreams.nn.QrnnLayerSpec;
import dev.qrnnstreams.nn.QrnnStackSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shape and regularisation of a QRNN encoder-decoder translator (Bradbury et al. 2017, section 3.3):
 * an encoder and a decoder of {@code layers} fo-pooling QRNN layers each, all {@code hiddenSize} wide
 * with convolution width {@code window}, over source and target embeddings of {@code embeddingSize}.
 *
 * <p>The parameters are a fixed, ordered list of named tensors ({@link #tensorShapes()}), the layout a
 * model bundle stores and an optimiser updates. Matrices are row-major {@code in x out}: a row vector
 * times the matrix gives the output.
 * <ul>
 *   <li>{@code source.embedding} {@code sourceVocabularySize x embeddingSize};
 *       {@code target.embedding} {@code targetVocabularySize x embeddingSize}</li>
 *   <li>{@code encoder.L.weights} and {@code decoder.L.weights} {@code (window * in) x (3 * hiddenSize)}
 *       with biases {@code encoder.L.bias}, {@code decoder.L.bias}, in {@link QrnnLayer}'s layout</li>
 *   <li>{@code decoder.L.encoderProjection} {@code hiddenSize x (3 * hiddenSize)}: {@code V_L}, applied
 *       to encoder layer L's last hidden state and added to decoder layer L's convolution output</li>
 *   <li>{@code attention.output} {@code (2 * hiddenSize) x hiddenSize}: {@code W_k} (rows
 *       {@code 0 .. hiddenSize - 1}) stacked over {@code W_c}</li>
 *   <li>{@code output.weights} {@code hiddenSize x targetVocabularySize} and {@code output.bias}</li>
 * </ul>
 *
 * @param sourceVocabularySize source token ids
 * @param targetVocabularySize target token ids, special tokens included
 * @param embeddingSize width of both embeddings
 * @param hiddenSize units of every QRNN layer
 * @param layers layers of the encoder, and of the decoder
 * @param window convolution width k of every layer
 * @param zoneout zoneout probability of every layer during training
 * @param dropout dropout probability of every layer input and of the attentional output during training
 */
public record TranslatorSpec(int sourceVocabularySize, int targetVocabularySize, int embeddingSize, int hiddenSize,
                             int layers, int window, double zoneout, double dropout) {

    /** Validates the fields. */
    public TranslatorSpec {
        QrnnLayerSpec.requirePositive(sourceVocabularySize, "sourceVocabularySize");
        QrnnLayerSpec.requirePositive(targetVocabularySize, "targetVocabularySize");
        encoderSpec(embeddingSize, hiddenSize, layers, window, zoneout, dropout);
    }

    /** The encoder stack: fo-pooling, not densely connected. */
    public QrnnStackSpec encoderSpec() {
        return encoderSpec(embeddingSize, hiddenSize, layers, window, zoneout, dropout);
    }

    /** The decoder stack, shaped like the encoder. */
    public QrnnStackSpec decoderSpec() {
        return encoderSpec();
    }

    private static QrnnStackSpec encoderSpec(int embeddingSize, int hiddenSize, int layers, int window,
                                             double zoneout, double dropout) {
        return QrnnStackSpec.builder().inputSize(embeddingSize).hiddenSize(hiddenSize).layers(layers).window(window)
                .pooling(Pooling.FO).zoneout(zoneout).dropout(dropout).build();
    }

    /** The parameter tensors in their fixed order, each with its shape. */
    public Map<String, int[]> tensorShapes() {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        int gates = Pooling.FO.gateCount() * hiddenSize;
        shapes.put("source.embedding", new int[] {sourceVocabularySize, embeddingSize});
        for (int l = 0; l < layers; l++) {
            shapes.put("encoder." + l + ".weights", new int[] {window * encoderSpec().layerInputSize(l), gates});
            shapes.put("encoder." + l + ".bias", new int[] {gates});
        }
        shapes.put("target.embedding", new int[] {targetVocabularySize, embeddingSize});
        for (int l = 0; l < layers; l++) {
            shapes.put("decoder." + l + ".weights", new int[] {window * decoderSpec().layerInputSize(l), gates});
            shapes.put("decoder." + l + ".bias", new int[] {gates});
            shapes.put("decoder." + l + ".encoderProjection", new int[] {hiddenSize, gates});
        }
        shapes.put("attention.output", new int[] {2 * hiddenSize, hiddenSize});
        shapes.put("output.weights", new int[] {hiddenSize, targetVocabularySize});
        shapes.put("output.bias", new int[] {targetVocabularySize});
        return Collections.unmodifiableMap(shapes);
    }

    /** The names of the weight matrices (not biases, not embeddings): those weight decay applies to. */
    public List<String> matrixNames() {
        List<String> names = new ArrayList<>();
        for (String name : tensorShapes().keySet()) {
            if (!name.endsWith("bias") && !name.endsWith("embedding")) {
                names.add(name);
            }
        }
        return List.copyOf(names);
    }

    /** The number of parameter values. */
    public long parameterCount() {
        long count = 0;
        for (int[] shape : tensorShapes().values()) {
            long size = 1;
            for (int d : shape) {
                size *= d;
            }
            count += size;
        }
        return count;
    }

    /** Values in a tensor of this shape. */
    public static int size(int[] shape) {
        int size = 1;
        for (int d : shape) {
            size = Math.multiplyExact(size, d);
        }
        return size;
    }
}
