package dev.qrnnstreams.train;

import dev.qrnnstreams.nn.LinearSoftmaxHead;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.Readout;
import dev.qrnnstreams.nn.grad.QrnnStackBackprop;
import dev.qrnnstreams.nn.grad.ReadoutBackprop;
import dev.qrnnstreams.nn.grad.TrainingNoise;
import java.util.List;
import java.util.function.IntFunction;

/**
 * One gradient computation for a QRNN text classifier over a batch of labelled token sequences, through
 * its {@link InputStage} (embedding, or projection and bottleneck), stack and head.
 *
 * <p>The classifier reads the last layer's hidden state through the parameters' {@link Readout}. So that a prediction means something after
 * every message of a stream, not only at the end of a text, the loss is the softmax cross-entropy at
 * several prefix ends of each sequence ({@code prefixes} evenly spaced ends, the last one the whole
 * sequence), averaged over prefixes and sequences, each sequence weighted by its class's weight when
 * class weights are given. An example with a {@link Example#target target} distribution is scored against
 * it at its last token.
 *
 * <p>With an adversarial epsilon above 0 the step also trains on adversarial examples (Goodfellow,
 * Shlens, Szegedy 2015, on text as in Miyato, Dai, Goodfellow 2017): each sequence's input rows are moved
 * along the gradient of its loss, {@code r = epsilon * |x| * g / |g|} with {@code x} all the sequence's
 * input rows and {@code g} the loss gradient with respect to them, and the loss at {@code x + r} is added
 * to the objective with {@code r} held constant. The perturbation is relative to the rows' norm, so
 * that the model cannot escape it by growing its embedding. The step then costs two forward and two
 * backward passes per sequence.
 */
public final class ClassifierStep {
    private final int prefixes;
    private final float[] classWeights;
    private final double adversarialEpsilon;

    /** A step that scores {@code prefixes} prefix ends per sequence (1 scores the whole sequence only). */
    public ClassifierStep(int prefixes) {
        this(prefixes, List.of(), 0);
    }

    /**
     * A step whose loss weighs a text of class c by {@code classWeights.get(c)} (empty: every class 1),
     * for example to balance classes of unequal size, and that adds the loss of adversarial examples at
     * relative distance {@code adversarialEpsilon} (0: none).
     */
    public ClassifierStep(int prefixes, List<Double> classWeights, double adversarialEpsilon) {
        if (prefixes < 1) {
            throw new IllegalArgumentException("prefixes must be at least 1, was " + prefixes);
        }
        if (!(adversarialEpsilon >= 0) || Double.isInfinite(adversarialEpsilon)) {
            throw new IllegalArgumentException("the adversarial epsilon must be finite and at least 0, was "
                    + adversarialEpsilon);
        }
        this.prefixes = prefixes;
        this.adversarialEpsilon = adversarialEpsilon;
        this.classWeights = new float[classWeights.size()];
        for (int c = 0; c < this.classWeights.length; c++) {
            double weight = classWeights.get(c);
            if (!(weight > 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("class weights must be positive and finite, were " + classWeights);
            }
            this.classWeights[c] = (float) weight;
        }
    }

    private float weight(int label) {
        if (classWeights.length == 0) {
            return 1f;
        }
        if (label >= classWeights.length) {
            throw new IllegalArgumentException("label " + label + " has no class weight; there are "
                    + classWeights.length);
        }
        return classWeights[label];
    }

    /**
     * A labelled sequence of token ids, at least one token long.
     *
     * @param tokens the ids
     * @param label the true class
     * @param target empty, or the class distribution that the whole sequence's loss is taken against instead
     *     of {@code label} (distillation: the label mixed with a teacher's probabilities)
     */
    public record Example(int[] tokens, int label, float[] target) {
        /** Validates the length. */
        public Example {
            if (tokens.length == 0) {
                throw new IllegalArgumentException("an example needs at least one token");
            }
        }

        /** An example scored against its label alone. */
        public Example(int[] tokens, int label) {
            this(tokens, label, new float[0]);
        }
    }

    /**
     * The mean loss over {@code batch} and its gradients, with the training noise of example i from
     * {@code noise.apply(i)} (null for none).
     *
     * <p>The batch is split in two halves computed on two threads (the caller and the common
     * fork-join pool), each summing its examples in order; the halves are then added in order. The
     * split does not depend on the machine, so the result is the same on any number of cores.
     * {@code noise} must return an instance per example, or one that is safe to share.
     */
    public ClassifierGradients gradients(ClassifierParameters parameters, List<Example> batch,
                                         IntFunction<TrainingNoise> noise) {
        InputStage.Frozen input = parameters.input().freeze();
        QrnnStack stack = parameters.stack();
        LinearSoftmaxHead head = parameters.head();
        float scale = 1f / (batch.size() * prefixes);
        return GradientSums.inHalves(batch.size(), (from, to) -> sums(parameters, input, stack, head, batch, from, to,
                noise, scale)).gradients();
    }

    private GradientSums sums(ClassifierParameters parameters, InputStage.Frozen input, QrnnStack stack,
                              LinearSoftmaxHead head, List<Example> batch, int from, int to,
                              IntFunction<TrainingNoise> noise, float scale) {
        GradientSums sums = new GradientSums(parameters);
        for (int e = from; e < to; e++) {
            Example example = batch.get(e);
            float[] rows = input.rows(example.tokens());
            float weighted = scale * weight(example.label());
            Pass clean = pass(parameters.readout(), stack, head, example, rows, noise.apply(e), weighted, sums);
            sums.loss += clean.loss();
            input.accumulate(example.tokens(), rows, clean.dRows(), sums.input);
            if (adversarialEpsilon > 0) {
                Pass adversarial = pass(parameters.readout(), stack, head, example,
                        perturbed(rows, clean.dRows(), adversarialEpsilon), noise.apply(e), weighted, sums);
                sums.adversarialLoss += adversarial.loss();
                input.accumulate(example.tokens(), rows, adversarial.dRows(), sums.input);
            }
        }
        return sums;
    }

    /** One sequence's weighted loss, and its gradient with respect to the stack's input rows. */
    private record Pass(double loss, float[] dRows) {
    }

    /**
     * Runs one sequence from the stack's input {@code rows}, adds the gradients of the stack and head to
     * {@code sums}, and returns its weighted loss and the loss gradient with respect to {@code rows}.
     */
    private Pass pass(Readout readout, QrnnStack stack, LinearSoftmaxHead head, Example example, float[] rows,
                      TrainingNoise noise, float weighted, GradientSums sums) {
        int h = stack.outputSize();
        QrnnStackBackprop.Tape tape = QrnnStackBackprop.forward(stack, rows, noise);
        float[] dOutputs = new float[tape.outputs().length];
        double loss = 0;
        for (int end : prefixEnds(example.tokens().length)) {
            float[] features = readout.features(tape.outputs(), end + 1, h);
            boolean soft = example.target().length > 0 && end == example.tokens().length - 1;
            SoftmaxCrossEntropy.Result result = soft ? SoftmaxCrossEntropy.of(head.logits(features),
                    example.target()) : SoftmaxCrossEntropy.of(head.logits(features), example.label());
            loss += result.loss() * weighted;
            LinearSoftmaxHead.Gradients headGradients = head.backward(features, scaled(result.dLogits(), weighted));
            GradientSums.add(sums.headWeights, headGradients.weights());
            GradientSums.add(sums.headBias, headGradients.bias());
            ReadoutBackprop.backward(readout, tape.outputs(), end + 1, h, headGradients.hidden(), dOutputs);
        }
        QrnnStackBackprop.Gradients stackGradients = QrnnStackBackprop.backward(tape, dOutputs);
        sums.addStack(stackGradients);
        return new Pass(loss, stackGradients.input());
    }

    /**
     * {@code rows + epsilon * |rows| * gradient / |gradient|}, norms over all values; {@code rows} itself
     * when the gradient is 0.
     */
    static float[] perturbed(float[] rows, float[] gradient, double epsilon) {
        double rowsNorm = norm(rows);
        double gradientNorm = norm(gradient);
        if (gradientNorm == 0) {
            return rows;
        }
        double step = epsilon * rowsNorm / gradientNorm;
        float[] out = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = (float) (rows[i] + step * gradient[i]);
        }
        return out;
    }

    private static double norm(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum);
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
}
