package dev.qrnnstreams.nn.grad;

import dev.qrnnstreams.nn.kernel.Chunks;
import dev.qrnnstreams.nn.kernel.VectorKernels;
import dev.qrnnstreams.nn.kernel.WeightMatrix;
import dev.qrnnstreams.nn.translate.TranslatorSpec;

import java.util.Arrays;
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
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    /** Rows {@code x} and {@code dy} whose product {@code x^T dy} is still to be added to a tensor. */
    private static final class Pending {
        private final int left;
        private final int right;
        private float[] x = new float[0];
        private float[] dy = new float[0];
        private int rows;

        Pending(int left, int right) {
            this.left = left;
            this.right = right;
        }

        void add(float[] moreX, float[] moreDy, int moreRows) {
            int needed = rows + moreRows;
            if (needed * left > x.length) {
                int capacity = Math.max(needed, 2 * rows);
                x = Arrays.copyOf(x, capacity * left);
                dy = Arrays.copyOf(dy, capacity * right);
            }
            System.arraycopy(moreX, 0, x, rows * left, moreRows * left);
            System.arraycopy(moreDy, 0, dy, rows * right, moreRows * right);
            rows = needed;
        }
    }

    /** Zero gradients for a translator of shape {@code spec}. */
    public TranslatorGradients(TranslatorSpec spec) {
        Map<String, float[]> zeros = new LinkedHashMap<>();
        spec.tensorShapes().forEach((name, shape) -> zeros.put(name, new float[TranslatorSpec.size(shape)]));
        this.tensors = Collections.unmodifiableMap(zeros);
    }

    /** The gradient arrays by tensor name (live: writes change the gradients). */
    public Map<String, float[]> tensors() {
        flush();
        return tensors;
    }

    /** The gradient of one tensor (live). */
    public float[] tensor(String name) {
        flush();
        return live(name);
    }

    /**
     * Defers adding {@code x^T dy} to tensor {@code name} ({@code left x right}): {@code x} holds
     * {@code rows} rows of {@code left} values and {@code dy} as many of {@code right}. All deferred rows
     * of a tensor are multiplied in one product when the gradients are next read.
     */
    void addOuterProducts(String name, float[] x, float[] dy, int rows, int left, int right) {
        pending.computeIfAbsent(name, key -> new Pending(left, right)).add(x, dy, rows);
    }

    /** The array of one tensor, without flushing deferred products. */
    float[] live(String name) {
        float[] values = tensors.get(name);
        if (values == null) {
            throw new IllegalArgumentException("no tensor " + name);
        }
        return values;
    }

    private void flush() {
        for (Map.Entry<String, Pending> entry : pending.entrySet()) {
            Pending p = entry.getValue();
            if (p.rows == 0) {
                continue;
            }
            float[] product = new float[p.left * p.right];
            VectorKernels.matmul(Chunks.transpose(Arrays.copyOf(p.x, p.rows * p.left), p.rows, p.left), p.left,
                    new WeightMatrix(p.rows, p.right, Arrays.copyOf(p.dy, p.rows * p.right)), product);
            float[] target = tensors.get(entry.getKey());
            for (int i = 0; i < target.length; i++) {
                target[i] += product[i];
            }
            p.rows = 0;
        }
    }

    /** Sets every gradient back to zero. */
    public void clear() {
        pending.values().forEach(p -> p.rows = 0);
        for (float[] values : tensors.values()) {
            Arrays.fill(values, 0f);
        }
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
