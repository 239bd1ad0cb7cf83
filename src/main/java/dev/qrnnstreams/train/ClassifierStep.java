package dev.qrnnstreams.train;

import dev.qrnnstreams.nn.EmbeddingTable;
import dev.qrnnstreams.nn.LinearSoftmaxHead;
import dev.qrnnstreams.nn.QrnnLayerBackprop;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnStackBackprop;
import dev.qrnnstreams.nn.TrainingNoise;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One gradient computation for a QRNN text classifier over a batch of labelled token sequences.
 *
 * <p>The classifier reads the last layer's hidden state. So that a prediction means something after
 * every message of a stream, not only at the end of a text, the loss is the softmax cross-entropy at
 * several prefix ends of each sequence ({@code prefixes} evenly spaced ends, the last one the whole
 * sequence), averaged over prefixes and sequences.
 */
public final class ClassifierStep {
    private final int prefixes;

    /** A step that scores {@code prefixes} prefix ends per sequence (1 scores the whole sequence only). */
    public ClassifierStep(int prefixes) {
        if (prefixes < 1) {
            throw new IllegalArgumentException("prefixes must be at least 1, was " + prefixes);
        }
        this.prefixes = prefixes;
    }

    /** A labelled sequence of token ids, at least one token long. */
    public record Example(int[] tokens, int label) {
        /** Validates the length. */
        public Example {
            if (tokens.length == 0) {
                throw new IllegalArgumentException("an example needs at least one token");
            }
        }
    }

    /** The mean loss over {@code batch} and its gradients, with training noise from {@code noise}. */
    public ClassifierGradients gradients(ClassifierParameters parameters, List<Example> batch, TrainingNoise noise) {
        EmbeddingTable embedding = parameters.embedding();
        QrnnStack stack = parameters.stack();
        LinearSoftmaxHead head = parameters.head();
        int h = stack.outputSize();
        float[] dEmbedding = new float[embedding.vocabularySize() * embedding.dimension()];
        List<float[]> dWeights = new ArrayList<>();
        List<float[]> dBiases = new ArrayList<>();
        for (int l = 0; l < stack.layers().size(); l++) {
            dWeights.add(new float[stack.layer(l).packedWeights().length]);
            dBiases.add(new float[stack.layer(l).spec().convolutionColumns()]);
        }
        float[] dHeadWeights = new float[h * head.classes()];
        float[] dHeadBias = new float[head.classes()];
        double loss = 0;
        float scale = 1f / (batch.size() * prefixes);
        for (Example example : batch) {
            QrnnStackBackprop.Tape tape = QrnnStackBackprop.forward(stack, embedding.lookup(example.tokens()), noise);
            float[] dOutputs = new float[tape.outputs().length];
            for (int end : prefixEnds(example.tokens().length)) {
                float[] hidden = Arrays.copyOfRange(tape.outputs(), end * h, (end + 1) * h);
                SoftmaxCrossEntropy.Result result = SoftmaxCrossEntropy.of(head.logits(hidden), example.label());
                loss += result.loss() * scale;
                LinearSoftmaxHead.Gradients headGradients = head.backward(hidden, scaled(result.dLogits(), scale));
                add(dHeadWeights, headGradients.weights());
                add(dHeadBias, headGradients.bias());
                for (int u = 0; u < h; u++) {
                    dOutputs[end * h + u] += headGradients.hidden()[u];
                }
            }
            QrnnStackBackprop.Gradients stackGradients = QrnnStackBackprop.backward(tape, dOutputs);
            for (int l = 0; l < stackGradients.layers().size(); l++) {
                QrnnLayerBackprop.Gradients layer = stackGradients.layers().get(l);
                add(dWeights.get(l), layer.weights());
                add(dBiases.get(l), layer.bias());
            }
            embedding.accumulateGradient(example.tokens(), stackGradients.input(), dEmbedding);
        }
        return new ClassifierGradients(loss, dEmbedding, dWeights, dBiases, dHeadWeights, dHeadBias);
    }

    /** The 0-based timesteps whose outputs are scored: {@code prefixes} evenly spaced, ending at the last. */
    int[] prefixEnds(int length) {
        int count = Math.min(prefixes, length);
        int[] ends = new int[count];
        for (int p = 1; p <= count; p++) {
            ends[p - 1] = (int) ((long) length * p / count) - 1;
        }
        return ends;
    }

    private static float[] scaled(float[] values, float scale) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] * scale;
        }
        return out;
    }

    private static void add(float[] target, float[] values) {
        for (int i = 0; i < target.length; i++) {
            target[i] += values[i];
        }
    }
}
