package dev.qrnnstreams.train;

import dev.qrnnstreams.nn.EmbeddingTable;
import dev.qrnnstreams.nn.LinearSoftmaxHead;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.grad.QrnnStackBackprop;
import dev.qrnnstreams.nn.grad.SoftmaxOutput;
import java.util.Arrays;
import java.util.List;

/**
 * The perplexity of a causal language model on token sequences: each sequence read from the zero state in
 * the inference form of the stack (zoneout at its expectation, no dropout), every token after the first
 * predicted from the ones before it under the exact softmax over the vocabulary.
 *
 * @param tokens the predicted tokens
 * @param crossEntropy their summed cross-entropy in nats
 */
public record LanguageModelEvaluation(long tokens, double crossEntropy) {

    /** Evaluates the model on {@code sequences}; sequences of fewer than two ids predict nothing. */
    public static LanguageModelEvaluation of(EmbeddingTable embedding, QrnnStack stack, LinearSoftmaxHead output,
                                             List<int[]> sequences) {
        SoftmaxOutput softmax = SoftmaxOutput.full(output.inputSize(), output.classes(), output.weights(),
                output.bias());
        long tokens = 0;
        double crossEntropy = 0;
        for (int[] sequence : sequences) {
            if (sequence.length < 2) {
                continue;
            }
            int steps = sequence.length - 1;
            float[] hidden = QrnnStackBackprop.forward(stack, embedding.lookup(Arrays.copyOf(sequence, steps)), null)
                    .outputs();
            crossEntropy += softmax.loss(hidden, steps, Arrays.copyOfRange(sequence, 1, sequence.length));
            tokens += steps;
        }
        return new LanguageModelEvaluation(tokens, crossEntropy);
    }

    /** {@code exp(crossEntropy / tokens)}; NaN when no token was predicted. */
    public double perplexity() {
        return tokens == 0 ? Double.NaN : Math.exp(crossEntropy / tokens);
    }
}
