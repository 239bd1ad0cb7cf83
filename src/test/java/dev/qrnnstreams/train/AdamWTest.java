package dev.qrnnstreams.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Guards the optimiser against values worked by hand and a problem with a known minimum. */
class AdamWTest {

    @Test
    void shouldMoveEachValueByTheLearningRateAgainstItsGradientOnTheFirstStep() {
        float[] w = {1f, -2f, 0.5f};
        float[] g = {0.3f, -4f, 1e-3f};

        AdamW.builder().build().step(List.of(new Parameter(w, g, false)), 0.01);

        assertThat(w[0]).isCloseTo(0.99f, within(1e-6f));
        assertThat(w[1]).isCloseTo(-1.99f, within(1e-6f));
        assertThat(w[2]).isCloseTo(0.49f, within(1e-5f));
    }

    @Test
    void shouldScaleGradientsDownToTheClipNormAndReportTheNormBeforeClipping() {
        float[] w = {0f, 0f};
        float[] g = {3f, 4f};
        AdamW adam = AdamW.builder().beta1(0).beta2(0).clipNorm(1.0).build();

        double norm = adam.step(List.of(new Parameter(w, g, false)), 1.0);

        assertThat(norm).isCloseTo(5.0, within(1e-9));
        assertThat(w[0]).isCloseTo(-1f, within(1e-6f));
        assertThat(w[1]).isCloseTo(-1f, within(1e-6f));
    }

    @Test
    void shouldDecayOnlyParametersMarkedForDecay() {
        float[] weights = {2f};
        float[] bias = {2f};
        AdamW adam = AdamW.builder().weightDecay(0.1).build();

        adam.step(List.of(new Parameter(weights, new float[1], true),
                new Parameter(bias, new float[1], false)), 0.5);

        assertThat(weights[0]).isCloseTo(2f - 0.5f * 0.1f * 2f, within(1e-6f));
        assertThat(bias[0]).isEqualTo(2f);
    }

    @Test
    void shouldFindTheMinimumOfAQuadratic() {
        float[] w = {5f, -3f};
        AdamW adam = AdamW.builder().build();
        for (int step = 0; step < 2_000; step++) {
            float[] g = {2 * (w[0] - 1f), 2 * (w[1] + 2f)};
            adam.step(List.of(new Parameter(w, g, false)), 0.05);
        }

        assertThat(w[0]).isCloseTo(1f, within(1e-2f));
        assertThat(w[1]).isCloseTo(-2f, within(1e-2f));
        assertThat(adam.steps()).isEqualTo(2_000);
    }

    @Test
    void shouldRejectInvalidSettings() {
        assertThatThrownBy(() -> AdamW.builder().beta1(1).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AdamW.builder().clipNorm(0).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Parameter(new float[2], new float[3], true))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
