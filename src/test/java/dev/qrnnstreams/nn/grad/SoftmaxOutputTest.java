package dev.qrnnstreams.nn.grad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link SoftmaxOutput} against a float64 reference written out term by term: the exact softmax's
 * cross-entropy and gradients, and the sampled softmax's, with a candidate drawn twice and one equal to a
 * row's target.
 */
class SoftmaxOutputTest {
    private static final int INPUT = 7;
    private static final int CLASSES = 23;
    private static final int ROWS = 5;

    private final SplittableRandom random = new SplittableRandom(11);
    private final float[] weights = values(INPUT * CLASSES);
    private final float[] bias = values(CLASSES);
    private final float[] hidden = values(ROWS * INPUT);
    private final int[] targets = {3, 0, 22, 3, 9};

    @Test
    void shouldMatchTheFloat64ExactSoftmaxAndItsGradients() {
        int[] all = new int[CLASSES];
        for (int c = 0; c < CLASSES; c++) {
            all[c] = c;
        }
        assertMatchesReference(SoftmaxOutput.full(INPUT, CLASSES, weights, bias), all, new double[CLASSES], false);
    }

    @Test
    void shouldMatchTheFloat64SampledSoftmaxWithRepeatsAndAccidentalHits() {
        int[] candidates = {3, 17, 17, 0, 8, 21, 9, 1};
        float[] logExpected = new float[CLASSES];
        double[] correction = new double[CLASSES];
        for (int c = 0; c < CLASSES; c++) {
            logExpected[c] = (float) Math.log(candidates.length * (c + 1.0) / (CLASSES * (CLASSES + 1) / 2.0));
            correction[c] = logExpected[c];
        }
        assertMatchesReference(SoftmaxOutput.sampled(INPUT, CLASSES, weights, bias, candidates, logExpected),
                candidates, correction, true);
    }

    @Test
    void shouldEqualTheExactLossWhenEveryOtherClassIsACandidateOnceWithoutCorrection() {
        int row = 1;
        int[] others = new int[CLASSES - 1];
        for (int c = 0, i = 0; c < CLASSES; c++) {
            if (c != targets[row]) {
                others[i++] = c;
            }
        }
        SoftmaxOutput sampled = SoftmaxOutput.sampled(INPUT, CLASSES, weights, bias, others, new float[CLASSES]);
        float[] one = Arrays.copyOfRange(hidden, row * INPUT, (row + 1) * INPUT);
        assertThat(sampled.loss(one, 1, new int[] {targets[row]}))
                .isCloseTo(SoftmaxOutput.full(INPUT, CLASSES, weights, bias).loss(one, 1, new int[] {targets[row]}),
                        within(1e-5));
    }

    private void assertMatchesReference(SoftmaxOutput output, int[] candidates, double[] correction,
                                        boolean sampled) {
        float scale = 0.25f;
        float[] dHidden = new float[ROWS * INPUT];
        float[] dWeights = new float[INPUT * CLASSES];
        float[] dBias = new float[CLASSES];
        double loss = output.lossAndGradients(hidden, ROWS, targets, scale, dHidden, dWeights, dBias);

        double expectedLoss = 0;
        double[] eHidden = new double[ROWS * INPUT];
        double[] eWeights = new double[INPUT * CLASSES];
        double[] eBias = new double[CLASSES];
        for (int r = 0; r < ROWS; r++) {
            int y = targets[r];
            int n = candidates.length + (sampled ? 1 : 0);
            int[] classes = new int[n];
            double[] logits = new double[n];
            boolean[] excluded = new boolean[n];
            for (int j = 0; j < n; j++) {
                int c = sampled ? (j == 0 ? y : candidates[j - 1]) : candidates[j];
                classes[j] = c;
                excluded[j] = sampled && j > 0 && c == y;
                logits[j] = bias[c] - correction[c];
                for (int p = 0; p < INPUT; p++) {
                    logits[j] += (double) hidden[r * INPUT + p] * weights[p * CLASSES + c];
                }
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += excluded[j] ? 0 : Math.exp(logits[j]);
            }
            int target = sampled ? 0 : y;
            expectedLoss += Math.log(sum) - logits[target];
            for (int j = 0; j < n; j++) {
                if (excluded[j]) {
                    continue;
                }
                double d = scale * (Math.exp(logits[j]) / sum - (j == target ? 1 : 0));
                int c = classes[j];
                eBias[c] += d;
                for (int p = 0; p < INPUT; p++) {
                    eWeights[p * CLASSES + c] += d * hidden[r * INPUT + p];
                    eHidden[r * INPUT + p] += d * weights[p * CLASSES + c];
                }
            }
        }
        assertThat(loss).isCloseTo(expectedLoss, within(1e-4 * Math.abs(expectedLoss)));
        assertClose("dHidden", dHidden, eHidden);
        assertClose("dWeights", dWeights, eWeights);
        assertClose("dBias", dBias, eBias);
    }

    private static void assertClose(String what, float[] actual, double[] expected) {
        assertThat(actual).as(what + " length").hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as(what + " at " + i).isCloseTo(expected[i],
                    within(1e-5 + 1e-4 * Math.abs(expected[i])));
        }
    }

    private float[] values(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return values;
    }
}
