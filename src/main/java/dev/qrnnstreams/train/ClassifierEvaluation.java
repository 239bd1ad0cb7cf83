package dev.qrnnstreams.train;

import dev.qrnnstreams.inference.ClassifierFrontEnd;
import dev.qrnnstreams.inference.InputRows;
import dev.qrnnstreams.nn.cpu.CpuBackend;
import dev.qrnnstreams.nn.LinearSoftmaxHead;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.Readout;
import dev.qrnnstreams.nn.StepResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Accuracy of a classifier the way the stream reads it: one incremental pass over each whole text
 * from the initial state, the head applied to the last layer's hidden state. Also the accuracy after
 * only a fraction of each text's tokens, the prediction a stream would emit part-way through.
 *
 * @param texts texts evaluated
 * @param accuracy the fraction classified correctly after the whole text
 * @param fractions the prefix fractions evaluated, increasing, in (0, 1]
 * @param prefixAccuracies the accuracy after {@code ceil(fraction * tokens)} tokens, per fraction
 * @param predictions per text, in order: the predicted class after the whole text and its probability
 */
public record ClassifierEvaluation(int texts, double accuracy, List<Double> fractions, List<Double> prefixAccuracies,
                                   List<Prediction> predictions) {
    private static final int BATCH = 64;

    /** Copies the lists. */
    public ClassifierEvaluation {
        fractions = List.copyOf(fractions);
        prefixAccuracies = List.copyOf(prefixAccuracies);
        predictions = List.copyOf(predictions);
    }

    /**
     * The prediction for one text after all its tokens.
     *
     * @param actual the text's label
     * @param predicted the most probable class
     * @param probabilities every class's probability, in label order
     */
    public record Prediction(int actual, int predicted, float[] probabilities) {
        /** The predicted class's probability. */
        public double probability() {
            return probabilities[predicted];
        }
    }

    /** The confusion matrix of the whole-text predictions, for classes named {@code labels}. */
    public ConfusionMatrix confusion(List<String> labels) {
        int[] actual = new int[predictions.size()];
        int[] predicted = new int[predictions.size()];
        for (int i = 0; i < actual.length; i++) {
            actual[i] = predictions.get(i).actual();
            predicted[i] = predictions.get(i).predicted();
        }
        return ConfusionMatrix.of(labels, actual, predicted);
    }

    /** Evaluates on the whole texts only. */
    public static ClassifierEvaluation of(ClassifierFrontEnd frontEnd, QrnnStack stack, LinearSoftmaxHead head,
                                          Readout readout, List<LabelledText> texts) {
        return of(frontEnd, stack, head, readout, texts, List.of());
    }

    /**
     * Evaluates on the whole texts and on the prefixes given by {@code fractions}. Texts with no
     * tokens are predicted from the initial state.
     */
    public static ClassifierEvaluation of(ClassifierFrontEnd frontEnd, QrnnStack stack, LinearSoftmaxHead head,
                                          Readout readout, List<LabelledText> texts, List<Double> fractions) {
        for (double fraction : fractions) {
            if (!(fraction > 0 && fraction <= 1)) {
                throw new IllegalArgumentException("prefix fractions must be in (0, 1], got " + fraction);
            }
        }
        int h = stack.outputSize();
        int correct = 0;
        int[] prefixCorrect = new int[fractions.size()];
        List<Prediction> predictions = new ArrayList<>(texts.size());
        try (CpuBackend backend = CpuBackend.vectorised()) {
            for (int from = 0; from < texts.size(); from += BATCH) {
                List<LabelledText> batch = texts.subList(from, Math.min(from + BATCH, texts.size()));
                List<Integer> tokens = new ArrayList<>();
                List<float[]> chunks = new ArrayList<>();
                List<QrnnState> states = new ArrayList<>();
                for (LabelledText text : batch) {
                    InputRows rows = frontEnd.rows(text.text());
                    tokens.add(rows.tokens());
                    chunks.add(rows.values());
                    states.add(QrnnState.initial(stack, readout));
                }
                List<StepResult> results = backend.step(stack, states, chunks);
                for (int i = 0; i < batch.size(); i++) {
                    int label = batch.get(i).label();
                    StepResult result = results.get(i);
                    float[] probabilities = head.probabilities(readout.features(readout.carry(states.get(i),
                            result.state(), result.outputs(), result.timesteps())));
                    int predicted = argmax(probabilities);
                    predictions.add(new Prediction(label, predicted, probabilities));
                    correct += predicted == label ? 1 : 0;
                    int length = tokens.get(i);
                    for (int f = 0; f < fractions.size(); f++) {
                        float[] features = length == 0 ? readout.features(states.get(i))
                                : readout.features(result.outputs(), prefixEnd(length, fractions.get(f)) + 1, h);
                        prefixCorrect[f] += predict(head, features) == label ? 1 : 0;
                    }
                }
            }
        }
        List<Double> prefixAccuracies = new ArrayList<>();
        for (int count : prefixCorrect) {
            prefixAccuracies.add(texts.isEmpty() ? 0 : (double) count / texts.size());
        }
        return new ClassifierEvaluation(texts.size(), texts.isEmpty() ? 0 : (double) correct / texts.size(),
                fractions, prefixAccuracies, predictions);
    }

    /** The 0-based index of the last token of the first {@code ceil(fraction * length)} tokens. */
    static int prefixEnd(int length, double fraction) {
        return Math.max(1, (int) Math.ceil(fraction * length - 1e-9)) - 1;
    }

    /** The index of the most probable class. */
    public static int predict(LinearSoftmaxHead head, float[] hidden) {
        return argmax(head.logits(hidden));
    }

    /** The index of the largest value (of logits or probabilities), the first of equal ones. */
    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
