package dev.qrnnstreams.train;

import dev.qrnnstreams.nn.translate.QrnnTranslator;
import dev.qrnnstreams.nn.grad.TranslatorGradients;
import dev.qrnnstreams.nn.translate.TranslatorSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainable values of a translator as mutable arrays that an optimiser updates in place, and
 * immutable {@link QrnnTranslator} snapshots of them for the passes.
 *
 * <p>Not thread-safe: owned by one training loop.
 */
public final class TranslatorParameters {
    private final TranslatorSpec spec;
    private final Map<String, float[]> tensors;

    /** Mutable copies of {@code translator}'s tensors. */
    public TranslatorParameters(QrnnTranslator translator) {
        this.spec = translator.spec();
        this.tensors = new LinkedHashMap<>(translator.tensors());
    }

    /** The shape. */
    public TranslatorSpec spec() {
        return spec;
    }

    /** The live arrays by tensor name, for checkpoints. */
    Map<String, float[]> live() {
        return tensors;
    }

    /**
     * Overwrites the values with {@code saved} (same names and sizes), keeping the arrays: how a run
     * resumes from a checkpoint.
     */
    void load(Map<String, float[]> saved) {
        for (Map.Entry<String, float[]> entry : tensors.entrySet()) {
            float[] values = saved.get(entry.getKey());
            if (values == null || values.length != entry.getValue().length) {
                throw new IllegalArgumentException("the checkpoint does not hold " + entry.getKey() + " of "
                        + entry.getValue().length + " values");
            }
            System.arraycopy(values, 0, entry.getValue(), 0, values.length);
        }
    }

    /** An immutable snapshot of the current values. */
    public QrnnTranslator snapshot() {
        return new QrnnTranslator(spec, tensors);
    }

    /**
     * The parameters paired with their gradients, for {@link Optimiser#step}; weight decay applies to the
     * weight matrices, not to biases or embeddings.
     */
    public List<Parameter> paired(TranslatorGradients gradients) {
        List<String> matrices = spec.matrixNames();
        List<Parameter> pairs = new ArrayList<>();
        tensors.forEach((name, values) ->
                pairs.add(new Parameter(values, gradients.tensor(name), matrices.contains(name))));
        return pairs;
    }
}
