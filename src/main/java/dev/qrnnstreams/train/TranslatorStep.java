package dev.qrnnstreams.train;

import dev.qrnnstreams.nn.translate.OutputLayer;
import dev.qrnnstreams.nn.translate.QrnnTranslator;
import dev.qrnnstreams.nn.grad.TrainingNoise;
import dev.qrnnstreams.nn.grad.TranslatorBackprop;
import dev.qrnnstreams.nn.grad.TranslatorGradients;
import dev.qrnnstreams.text.SpecialToken;
import java.util.ArrayList;
import java.util.List;

/**
 * One gradient computation for a translator over a batch of sentence pairs with teacher forcing: the
 * decoder reads BOS and the target tokens and predicts the target tokens and EOS. The loss is the
 * softmax cross-entropy against the label-smoothed target (Szegedy et al. 2016: weight
 * {@code 1 - epsilon} on the reference token and {@code epsilon / V} spread over the vocabulary),
 * averaged over all predicted tokens of the batch.
 */
public final class TranslatorStep {
    private final double labelSmoothing;

    /** A step with this label smoothing epsilon, in [0, 1). */
    public TranslatorStep(double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), was " + labelSmoothing);
        }
        this.labelSmoothing = labelSmoothing;
    }

    /**
     * A tokenized pair.
     *
     * @param source source ids, at least one
     * @param target target ids without BOS or EOS
     */
    public record Example(int[] source, int[] target) {
        /** Validates the source length. */
        public Example {
            if (source.length == 0) {
                throw new IllegalArgumentException("an example needs at least one source token");
            }
        }

        /** Predicted positions: the target tokens and EOS. */
        public int predictions() {
            return target.length + 1;
        }
    }

    /**
     * Adds to {@code gradients} the gradients of the batch loss restricted to {@code part} (a subset of
     * the batch whose predicted positions number {@code batchPredictions} in all), so parts computed
     * separately sum to the batch's gradients.
     *
     * @return this part's share of the batch loss
     */
    public double accumulate(QrnnTranslator translator, List<Example> part, long batchPredictions,
                             TrainingNoise noise, TranslatorGradients gradients) {
        int h = translator.spec().hiddenSize();
        int v = translator.spec().targetVocabularySize();
        List<TranslatorBackprop.Tape> tapes = new ArrayList<>(part.size());
        int rows = 0;
        for (Example example : part) {
            TranslatorBackprop.Tape tape =
                    TranslatorBackprop.forward(translator, example.source(), decoderInput(example.target()), noise);
            tapes.add(tape);
            rows += tape.targetLength();
        }
        float[] hidden = new float[rows * h];
        int[] labels = new int[rows];
        int row = 0;
        for (int i = 0; i < part.size(); i++) {
            TranslatorBackprop.Tape tape = tapes.get(i);
            System.arraycopy(tape.outputs(), 0, hidden, row * h, tape.targetLength() * h);
            int[] expected = decoderOutput(part.get(i).target());
            System.arraycopy(expected, 0, labels, row, expected.length);
            row += tape.targetLength();
        }
        float[] logits = OutputLayer.logits(translator, hidden, rows);
        double loss = 0;
        float scale = (float) (1.0 / batchPredictions);
        for (int r = 0; r < rows; r++) {
            loss += smoothedCrossEntropy(logits, r * v, v, labels[r], scale);
        }
        float[] dHidden = TranslatorBackprop.outputBackward(translator, hidden, rows, logits, gradients);
        row = 0;
        for (TranslatorBackprop.Tape tape : tapes) {
            float[] dOutputs = new float[tape.targetLength() * h];
            System.arraycopy(dHidden, row * h, dOutputs, 0, dOutputs.length);
            TranslatorBackprop.backward(tape, dOutputs, gradients);
            row += tape.targetLength();
        }
        return loss / batchPredictions;
    }

    /**
     * The label-smoothed cross-entropy of one row of logits; replaces the row, in place, by its
     * gradient times {@code scale}: {@code scale * (softmax - smoothed target)}.
     */
    double smoothedCrossEntropy(float[] logits, int from, int width, int label, float scale) {
        float max = Float.NEGATIVE_INFINITY;
        double logitSum = 0;
        for (int i = from; i < from + width; i++) {
            max = Math.max(max, logits[i]);
            logitSum += logits[i];
        }
        double labelLogit = logits[from + label];
        double sum = 0;
        for (int i = from; i < from + width; i++) {
            float e = (float) Math.exp(logits[i] - max);
            logits[i] = e;
            sum += e;
        }
        double logZ = max + Math.log(sum);
        double loss = (1 - labelSmoothing) * (logZ - labelLogit) + labelSmoothing * (logZ - logitSum / width);
        float spread = (float) (scale * labelSmoothing / width);
        float norm = (float) (scale / sum);
        for (int i = from; i < from + width; i++) {
            logits[i] = logits[i] * norm - spread;
        }
        logits[from + label] -= (float) (scale * (1 - labelSmoothing));
        return loss;
    }

    /** BOS followed by the target tokens. */
    static int[] decoderInput(int[] target) {
        int[] input = new int[target.length + 1];
        input[0] = SpecialToken.BOS.id();
        System.arraycopy(target, 0, input, 1, target.length);
        return input;
    }

    /** The target tokens followed by EOS. */
    static int[] decoderOutput(int[] target) {
        int[] output = new int[target.length + 1];
        System.arraycopy(target, 0, output, 0, target.length);
        output[target.length] = SpecialToken.EOS.id();
        return output;
    }
}
