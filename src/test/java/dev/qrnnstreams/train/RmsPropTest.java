package dev.qrnnstreams.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Guards RMSprop against a float64 reference of its update rule, and its state's save and restore. */
class RmsPropTest {
    private static final double RHO = 0.9;
    private static final double EPSILON = 1e-8;

    @Test
    void shouldMatchAFloat64ReferenceOverThreeStepsWithClippingAndDecay() {
        SplittableRandom random = new SplittableRandom(7);
        float[] weights = randoms(random, 6);
        float[] bias = randoms(random, 3);
        double[] w64 = doubles(weights);
        double[] b64 = doubles(bias);
        double[] sw = new double[6];
        double[] sb = new double[3];
        RmsProp rmsProp = RmsProp.builder().rho(RHO).epsilon(EPSILON).weightDecay(0.05).clipNorm(1.5).build();
        double[] rates = {0.01, 0.02, 0.005};

        for (double rate : rates) {
            float[] gw = randoms(random, 6);
            float[] gb = randoms(random, 3);
            double norm = Math.sqrt(sumOfSquares(gw) + sumOfSquares(gb));
            double scale = norm > 1.5 ? 1.5 / norm : 1.0;
            reference(w64, sw, gw, scale, rate, 0.05);
            reference(b64, sb, gb, scale, rate, 0.0);

            double reported = rmsProp.step(List.of(new Parameter(weights, gw, true), new Parameter(bias, gb, false)),
                    rate);

            assertThat(reported).isCloseTo(norm, within(1e-9));
        }

        for (int i = 0; i < weights.length; i++) {
            assertThat((double) weights[i]).as("weight %d", i).isCloseTo(w64[i], within(2e-6));
        }
        for (int i = 0; i < bias.length; i++) {
            assertThat((double) bias[i]).as("bias %d", i).isCloseTo(b64[i], within(2e-6));
        }
        assertThat(rmsProp.steps()).isEqualTo(3);
    }

    @Test
    void shouldMoveByTheLearningRateOverRootOneMinusRhoOnTheFirstStep() {
        float[] w = {1f, -1f};
        float[] g = {0.5f, -2f};

        RmsProp.builder().build().step(List.of(new Parameter(w, g, false)), 0.01);

        double step = 0.01 / Math.sqrt(1 - RHO);
        assertThat((double) w[0]).isCloseTo(1 - step, within(1e-6));
        assertThat((double) w[1]).isCloseTo(-1 + step, within(1e-6));
    }

    @Test
    void shouldContinueIdenticallyFromARestoredState() {
        float[] w1 = {0.3f, -0.7f, 1.1f};
        RmsProp first = RmsProp.builder().build();
        first.step(List.of(new Parameter(w1, new float[] {0.1f, 0.2f, -0.3f}, false)), 0.01);
        float[] w2 = w1.clone();
        Optimiser.State state = first.state(List.of(w1));
        RmsProp second = RmsProp.builder().build();
        second.restore(List.of(w2), state);

        float[] g = {-0.4f, 0.5f, 0.05f};
        first.step(List.of(new Parameter(w1, g, false)), 0.01);
        second.step(List.of(new Parameter(w2, g, false)), 0.01);

        assertThat(w2).containsExactly(w1);
        assertThat(second.steps()).isEqualTo(2);
        assertThat(state.slots()).hasSize(1);
    }

    @Test
    void shouldRejectInvalidSettingsAndMismatchedStates() {
        assertThatThrownBy(() -> RmsProp.builder().rho(1).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RmsProp.builder().epsilon(0).build()).isInstanceOf(IllegalArgumentException.class);
        RmsProp rmsProp = RmsProp.builder().build();
        Optimiser.State wrong = new Optimiser.State(1, List.of(new float[2]));
        assertThatThrownBy(() -> rmsProp.restore(List.of(new float[3]), wrong))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void reference(double[] w, double[] s, float[] g, double scale, double rate, double decay) {
        for (int i = 0; i < w.length; i++) {
            double gi = g[i] * scale;
            s[i] = RHO * s[i] + (1 - RHO) * gi * gi;
            w[i] -= rate * (gi / (Math.sqrt(s[i]) + EPSILON) + decay * w[i]);
        }
    }

    private static float[] randoms(SplittableRandom random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        return values;
    }

    private static double[] doubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static double sumOfSquares(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += (double) v * v;
        }
        return sum;
    }
}
