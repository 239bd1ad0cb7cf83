package dev.qrnnstreams.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gradients of a scalar loss with respect to every parameter tensor of a translator, named and laid out
 * as {@link TranslatorSpec#tensorShapes()} says. Starts at zero; {@link TranslatorBackprop} adds into it.
 *
 * <p>Not thread-safe: one accumulator per thread, combined with {@link #add}.
 */
public final class TranslatorGradients {
    private final Map<String, float[]> tensors;

    /** Zero gradients for a translator of shape {@code spec}. */
    public TranslatorGradients(TranslatorSpec spec) {
        Map<String, float[]> zeros = new LinkedHashMap<>();
        spec.tensorShapes().forEach((name, shape) -> zeros.put(name, new float[TranslatorSpec.size(shape)]));
        this.tensors = Collections.unmodifiableMap(zeros);
    }

    /** The gradient arrays by tensor name (live: writes change the gradients). */
    public Map<String, float[]> tensors() {
        return tensors;
    }

    /** The gradient of one tensor (live). */
    public float[] tensor(String name) {
        float[] values = tensors.get(name);
        if (values == null) {
            throw new IllegalArgumentException("no tensor " + name);
        }
        return values;
    }

    /** Adds {@code other} into this. */
    public void add(TranslatorGradients other) {
        for (Map.Entry<String, float[]> entry : tensors.entrySet()) {
            float[] target = entry.getValue();
            float[] source = other.tensor(entry.getKey());
            for (int i = 0; i < target.length; i++) {
                target[i] += source[i];
            }
        }
    }
}
