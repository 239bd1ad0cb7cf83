package dev.qrnnstreams.model;

import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.QrnnStackSpec;
import java.util.List;

/**
 * The hyper-parameters that fix the shapes of a QRNN text classifier: embedding, stack and head.
 *
 * @param vocabularySize token ids, as the tokenizer defines them
 * @param embeddingSize the embedding width (the stack's input)
 * @param hiddenSize hidden units per layer
 * @param layers number of QRNN layers
 * @param window convolution width k
 * @param poolings pooling function per layer
 * @param dense whether layers are densely connected
 * @param zoneout zoneout probability used in training (inference uses its expected value)
 * @param dropout input dropout used in training
 * @param labels class names, in the head's output order
 */
public record ClassifierArchitecture(int vocabularySize, int embeddingSize, int hiddenSize, int layers, int window,
                                     List<Pooling> poolings, boolean dense, double zoneout, double dropout,
                                     List<String> labels) {

    /** Copies the lists. */
    public ClassifierArchitecture {
        poolings = List.copyOf(poolings);
        labels = List.copyOf(labels);
    }

    /** The architecture of a classifier with this stack, vocabulary and labels. */
    public static ClassifierArchitecture of(QrnnStackSpec spec, int vocabularySize, List<String> labels) {
        return new ClassifierArchitecture(vocabularySize, spec.inputSize(), spec.hiddenSize(), spec.layers(),
                spec.window(), spec.poolings(), spec.dense(), spec.zoneout(), spec.dropout(), labels);
    }

    /** The stack's spec. */
    public QrnnStackSpec stackSpec() {
        return new QrnnStackSpec(embeddingSize, hiddenSize, layers, window, poolings, dense, zoneout, dropout);
    }
}
