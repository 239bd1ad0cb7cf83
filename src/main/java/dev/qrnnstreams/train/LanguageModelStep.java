package dev.qrnnstreams.train;

import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.grad.QrnnStackBackprop;
import dev.qrnnstreams.nn.grad.SoftmaxOutput;
import dev.qrnnstreams.nn.grad.TrainingNoise;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * One gradient computation for a causal QRNN language model over a batch of token sequences: the
 * embedding and stack of a classifier, and an output layer over the vocabulary in place of the class head
 * ({@link ClassifierParameters} whose classes are the token ids). The output after token t predicts token
 * t + 1; the loss is the mean cross-entropy over every predicted token of the batch, through a
 * {@link SoftmaxOutput} (exact, or sampled to make a large vocabulary affordable).
 *
 * <p>Like {@link ClassifierStep}, the batch is computed as two fixed halves on two threads, so the result
 * does not depend on the machine.
 */
public final class LanguageModelStep {

    /**
     * The mean loss over every predicted token of {@code batch} (sequences of at least two ids) and its
     * gradients, with the training noise of sequence i from {@code noise.apply(i)}.
     *
     * @param output the output layer's softmax over the parameters' current head; shared by the batch
     */
    public ClassifierGradients gradients(ClassifierParameters parameters, List<int[]> batch, SoftmaxOutput output,
                                         IntFunction<TrainingNoise> noise) {
        long predicted = 0;
        for (int[] tokens : batch) {
            if (tokens.length < 2) {
                throw new IllegalArgumentException("a language-model sequence needs at least two tokens");
            }
            predicted += tokens.length - 1;
        }
        InputStage.Frozen input = parameters.input().freeze();
        QrnnStack stack = parameters.stack();
        float scale = (float) (1.0 / predicted);
        return GradientSums.inHalves(batch.size(), (from, to) -> {
            GradientSums sums = new GradientSums(parameters);
            for (int e = from; e < to; e++) {
                add(sums, input, stack, output, batch.get(e), noise.apply(e), scale);
            }
            return sums;
        }).gradients();
    }

    private static void add(GradientSums sums, InputStage.Frozen input, QrnnStack stack, SoftmaxOutput output,
                            int[] tokens, TrainingNoise noise, float scale) {
        int steps = tokens.length - 1;
        int[] inputs = Arrays.copyOf(tokens, steps);
        int[] targets = Arrays.copyOfRange(tokens, 1, tokens.length);
        float[] rows = input.rows(inputs);
        QrnnStackBackprop.Tape tape = QrnnStackBackprop.forward(stack, rows, noise);
        float[] dOutputs = new float[tape.outputs().length];
        sums.loss += scale * output.lossAndGradients(tape.outputs(), steps, targets, scale, dOutputs,
                sums.headWeights, sums.headBias);
        QrnnStackBackprop.Gradients stackGradients = QrnnStackBackprop.backward(tape, dOutputs);
        sums.addStack(stackGradients);
        input.accumulate(inputs, rows, stackGradients.input(), sums.input);
    }
}
