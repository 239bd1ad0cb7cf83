package dev.qrnnstreams.train;

import dev.qrnnstreams.nn.grad.QrnnLayerBackprop;
import dev.qrnnstreams.nn.grad.QrnnStackBackprop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.BiFunction;

/**
 * Running sums of the loss and the gradients of {@link ClassifierParameters} over part of a batch, and the
 * fixed two-way split that computes a batch on two threads.
 */
final class GradientSums {
    final List<float[]> input = new ArrayList<>();
    final List<float[]> weights = new ArrayList<>();
    final List<float[]> biases = new ArrayList<>();
    final float[] headWeights;
    final float[] headBias;
    double loss;
    double adversarialLoss;

    /** Zero sums shaped like {@code parameters}. */
    GradientSums(ClassifierParameters parameters) {
        List<float[]> values = parameters.values();
        int inputArrays = parameters.input().values().size();
        for (int i = 0; i < inputArrays; i++) {
            input.add(new float[values.get(i).length]);
        }
        for (int l = 0; l < parameters.spec().layers(); l++) {
            weights.add(new float[values.get(inputArrays + 2 * l).length]);
            biases.add(new float[values.get(inputArrays + 2 * l + 1).length]);
        }
        this.headWeights = new float[values.get(values.size() - 2).length];
        this.headBias = new float[values.get(values.size() - 1).length];
    }

    /**
     * The sums over items {@code [0, size)} computed as two halves, the second on the common fork-join pool,
     * each by {@code part.apply(from, to)} summing its items in order, then added in order. The split does
     * not depend on the machine, so the result is the same on any number of cores.
     */
    static GradientSums inHalves(int size, BiFunction<Integer, Integer, GradientSums> part) {
        int half = (size + 1) / 2;
        CompletableFuture<GradientSums> second = half < size
                ? CompletableFuture.supplyAsync(() -> part.apply(half, size), ForkJoinPool.commonPool())
                : CompletableFuture.completedFuture(null);
        GradientSums sums = part.apply(0, half);
        GradientSums rest;
        try {
            rest = second.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
        if (rest != null) {
            sums.add(rest);
        }
        return sums;
    }

    /** Adds the stack's gradients of one sequence. */
    void addStack(QrnnStackBackprop.Gradients stackGradients) {
        for (int l = 0; l < stackGradients.layers().size(); l++) {
            QrnnLayerBackprop.Gradients layer = stackGradients.layers().get(l);
            add(weights.get(l), layer.weights());
            add(biases.get(l), layer.bias());
        }
    }

    /** The sums as gradients; callers scale what they add, so the loss is already the batch's mean. */
    ClassifierGradients gradients() {
        return new ClassifierGradients(loss, adversarialLoss, input, weights, biases, headWeights, headBias);
    }

    private void add(GradientSums other) {
        loss += other.loss;
        adversarialLoss += other.adversarialLoss;
        for (int i = 0; i < input.size(); i++) {
            add(input.get(i), other.input.get(i));
        }
        for (int l = 0; l < weights.size(); l++) {
            add(weights.get(l), other.weights.get(l));
            add(biases.get(l), other.biases.get(l));
        }
        add(headWeights, other.headWeights);
        add(headBias, other.headBias);
    }

    static void add(float[] target, float[] values) {
        for (int i = 0; i < target.length; i++) {
            target[i] += values[i];
        }
    }
}
