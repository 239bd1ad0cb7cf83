package dev.qrnnstreams.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Guards the classifier head against a float64 evaluation of {@code softmax(W^T h + b)}. */
class LinearSoftmaxHeadTest {

    @Test
    void shouldMatchAFloat64SoftmaxOfTheAffineMap() {
        SplittableRandom random = new SplittableRandom(3);
        int inputs = 37;
        int classes = 5;
        float[] w = new float[inputs * classes];
        float[] b = new float[classes];
        float[] h = new float[inputs];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        for (int c = 0; c < classes; c++) {
            b[c] = (float) random.nextGaussian();
        }
        for (int i = 0; i < inputs; i++) {
            h[i] = (float) random.nextGaussian();
        }
        double[] logits = new double[classes];
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            logits[c] = b[c];
            for (int i = 0; i < inputs; i++) {
                logits[c] += (double) h[i] * w[i * classes + c];
            }
        }
        double max = java.util.Arrays.stream(logits).max().orElseThrow();
        for (double logit : logits) {
            sum += Math.exp(logit - max);
        }
        float[] p = new LinearSoftmaxHead(inputs, classes, w, b).probabilities(h);
        for (int c = 0; c < classes; c++) {
            assertThat((double) p[c]).isCloseTo(Math.exp(logits[c] - max) / sum, within(1e-6));
        }
    }

    @Test
    void shouldStayFiniteForHugeLogits() {
        LinearSoftmaxHead head = new LinearSoftmaxHead(1, 2, new float[] {1f, -1f}, new float[2]);
        float[] p = head.probabilities(new float[] {1e30f});
        assertThat(p).containsExactly(1f, 0f);
    }

    @Test
    void shouldRejectAHiddenVectorOfTheWrongWidth() {
        LinearSoftmaxHead head = LinearSoftmaxHead.glorotUniform(4, 2, new SplittableRandom(1));
        assertThatThrownBy(() -> head.logits(new float[3])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldBackPropagateThroughTheAffineMapAsItsTransposes() {
        float[] w = {1f, 2f, 3f, 4f, 5f, 6f};
        LinearSoftmaxHead head = new LinearSoftmaxHead(3, 2, w, new float[] {0.5f, -0.5f});
        float[] hidden = {0.1f, -0.2f, 0.3f};
        float[] dLogits = {0.25f, -1f};

        LinearSoftmaxHead.Gradients gradients = head.backward(hidden, dLogits);

        assertThat(gradients.weights()).containsExactly(0.025f, -0.1f, -0.05f, 0.2f, 0.075f, -0.3f);
        assertThat(gradients.bias()).containsExactly(0.25f, -1f);
        assertThat(gradients.hidden()).containsExactly(1f * 0.25f - 2f, 3f * 0.25f - 4f, 5f * 0.25f - 6f);
    }
}
