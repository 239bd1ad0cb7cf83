package dev.qrnnstreams.model;

import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.nn.Readout;
import java.util.List;
import java.util.Objects;

/**
 * The hyper-parameters that fix the shapes of a QRNN text classifier: input, stack and head.
 *
 * <p>The input is an embedding of a tokenizer's ids, or, when {@code projection} is given, a hashed
 * projection and a dense bottleneck ({@link ClassifierInput.Projected}); bundles of format version 1
 * have no {@code projection} and are all embedding models.
 *
 * @param vocabularySize token ids, as the tokenizer defines them (0 for a projection model)
 * @param embeddingSize the embedding width, or the bottleneck's output width (the stack's input)
 * @param hiddenSize hidden units per layer
 * @param layers number of QRNN layers
 * @param window convolution width k
 * @param poolings pooling function per layer
 * @param dense whether layers are densely connected
 * @param zoneout zoneout probability used in training (inference uses its expected value)
 * @param dropout input dropout used in training
 * @param labels class names, in the head's output order
 * @param projection the projection's settings, or null for an embedding model
 * @param readout what the head reads ({@link Readout}); bundles written before it existed read the last
 *     output ({@link Readout#LAST}), as does a manifest without it
 */
public record ClassifierArchitecture(int vocabularySize, int embeddingSize, int hiddenSize, int layers, int window,
                                     List<Pooling> poolings, boolean dense, double zoneout, double dropout,
                                     List<String> labels, ProjectionSpec projection, Readout readout) {

    /** Copies the lists; a missing readout is {@link Readout#LAST}. */
    public ClassifierArchitecture {
        poolings = List.copyOf(poolings);
        labels = List.copyOf(labels);
        readout = readout == null ? Readout.LAST : readout;
    }

    /** This architecture with another readout. */
    public ClassifierArchitecture withReadout(Readout newReadout) {
        return new ClassifierArchitecture(vocabularySize, embeddingSize, hiddenSize, layers, window, poolings, dense,
                zoneout, dropout, labels, projection, newReadout);
    }

    /** The architecture of an embedding classifier with this stack, vocabulary and labels. */
    public static ClassifierArchitecture of(QrnnStackSpec spec, int vocabularySize, List<String> labels) {
        return new ClassifierArchitecture(vocabularySize, spec.inputSize(), spec.hiddenSize(), spec.layers(),
                spec.window(), spec.poolings(), spec.dense(), spec.zoneout(), spec.dropout(), labels, null, Readout.LAST);
    }

    /** The architecture of a projection classifier with this stack (its input the bottleneck's width) and labels. */
    public static ClassifierArchitecture projected(QrnnStackSpec spec, ProjectionSpec projection,
                                                   List<String> labels) {
        return new ClassifierArchitecture(0, spec.inputSize(), spec.hiddenSize(), spec.layers(), spec.window(),
                spec.poolings(), spec.dense(), spec.zoneout(), spec.dropout(), labels,
                Objects.requireNonNull(projection, "projection"), Readout.LAST);
    }

    /** Whether the input is a hashed projection rather than an embedding. */
    public boolean usesProjection() {
        return projection != null;
    }

    /** The stack's spec. */
    public QrnnStackSpec stackSpec() {
        return new QrnnStackSpec(embeddingSize, hiddenSize, layers, window, poolings, dense, zoneout, dropout);
    }
}
