package dev.qrnnstreams.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Guards the classification loss and its gradient against hand values and finite differences. */
class SoftmaxCrossEntropyTest {

    @Test
    void shouldBeLogTwoForEqualLogitsOfTwoClasses() {
        SoftmaxCrossEntropy.Result result = SoftmaxCrossEntropy.of(new float[] {0.3f, 0.3f}, 1);

        assertThat(result.loss()).isCloseTo(Math.log(2), within(1e-9));
        assertThat(result.dLogits()).containsExactly(0.5f, -0.5f);
    }

    @Test
    void shouldMatchFiniteDifferencesOfTheLoss() {
        float[] logits = {1.5f, -0.25f, 0.75f, 2.0f};
        float[] gradient = SoftmaxCrossEntropy.of(logits, 2).dLogits();
        double step = 1e-3;
        for (int c = 0; c < logits.length; c++) {
            float[] up = logits.clone();
            float[] down = logits.clone();
            up[c] += (float) step;
            down[c] -= (float) step;
            double numeric = (SoftmaxCrossEntropy.of(up, 2).loss() - SoftmaxCrossEntropy.of(down, 2).loss())
                    / (up[c] - down[c]);
            assertThat((double) gradient[c]).as("dL/dlogit[%d]", c).isCloseTo(numeric, within(1e-4));
        }
    }

    @Test
    void shouldStayFiniteForHugeLogits() {
        SoftmaxCrossEntropy.Result result = SoftmaxCrossEntropy.of(new float[] {1e30f, -1e30f}, 1);

        assertThat(result.loss()).isCloseTo(2e30, within(1e24));
        assertThat(result.dLogits()).containsExactly(1f, -1f);
    }

    @Test
    void shouldMatchAFloat64ReferenceAgainstATargetDistribution() {
        float[] logits = {1.5f, -0.25f, 0.75f};
        float[] target = {0.2f, 0.5f, 0.3f};

        SoftmaxCrossEntropy.Result result = SoftmaxCrossEntropy.of(logits, target);

        double sum = 0;
        for (float logit : logits) {
            sum += Math.exp(logit);
        }
        double loss = 0;
        for (int c = 0; c < logits.length; c++) {
            double p = Math.exp(logits[c]) / sum;
            loss -= target[c] * Math.log(p);
            assertThat((double) result.dLogits()[c]).as("dL/dlogit[%d]", c).isCloseTo(p - target[c], within(1e-6));
        }
        assertThat(result.loss()).isCloseTo(loss, within(1e-6));
    }

    @Test
    void shouldGiveTheLabelsLossAndGradientForAOneHotTarget() {
        float[] logits = {1.5f, -0.25f, 0.75f, 2.0f};

        SoftmaxCrossEntropy.Result soft = SoftmaxCrossEntropy.of(logits, new float[] {0, 0, 1, 0});
        SoftmaxCrossEntropy.Result hard = SoftmaxCrossEntropy.of(logits, 2);

        assertThat(soft.loss()).isCloseTo(hard.loss(), within(1e-12));
        assertThat(soft.dLogits()).containsExactly(hard.dLogits());
        assertThatThrownBy(() -> SoftmaxCrossEntropy.of(logits, new float[3]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectALabelOutsideTheClasses() {
        assertThatThrownBy(() -> SoftmaxCrossEntropy.of(new float[2], 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
