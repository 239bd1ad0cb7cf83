package dev.qrnnstreams.nn.grad;

import dev.qrnnstreams.nn.NumericAssertions;
import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.QrnnLayer;
import dev.qrnnstreams.nn.QrnnLayerSpec;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.QrnnTestSupport;
import dev.qrnnstreams.nn.cpu.CpuBackend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Guards the training-time forward pass that the trainers run ({@link QrnnStackBackprop#forward} with
 * {@link TrainingNoise}): zoneout forces forget channels to exactly 1 with probability p (Bradbury et al.
 * 2017, section 2.1), inverted input dropout zeroes inputs with probability p and scales the rest by
 * 1/(1-p), masks repeat for a repeated seed, and with both probabilities 0 training is the inference
 * pass bit for bit.
 *
 * <p>The statistical checks count n independent Bernoulli(p) draws and accept the count within
 * {@value #SIGMAS} standard deviations {@code sqrt(n p (1 - p))} of {@code n p}; the generators are
 * seeded, so each check is deterministic, and a correct implementation would fail one for a fresh seed
 * with probability below 1e-6 (normal tail at 5 sigma, n in the thousands).
 */
class TrainingNoiseTest {
    private static final double SIGMAS = 5;

    @Test
    void shouldEqualInferenceExactlyWhenDropoutAndZoneoutAreZero() {
        for (Pooling pooling : Pooling.values()) {
            QrnnStack stack = QrnnTestSupport.randomStack(QrnnStackSpec.builder()
                    .inputSize(6).hiddenSize(21).layers(3).window(3).pooling(pooling).dense(true).build(),
                    new Random(pooling.ordinal()));
            float[] input = QrnnTestSupport.randomInputs(9, 6, new Random(8));

            float[] training = QrnnStackBackprop.forward(stack, input, new TrainingNoise(new SplittableRandom(1)))
                    .outputs();
            float[] inference = QrnnStackBackprop.forward(stack, input, null).outputs();

            assertThat(training).as(pooling.name()).containsExactly(inference);
            try (CpuBackend backend = CpuBackend.vectorised()) {
                float[] served = backend.step(stack, QrnnState.initial(stack), input).outputs();
                NumericAssertions.assertClose(pooling + " training pass vs the backend",
                        training, lastLayerOf(served, stack, 9), 1e-5);
            }
        }
    }

    /**
     * With p = 0.999 almost every forget channel is 1 at every step, so c stays at its initial value 0
     * exactly; a unit moves only if at least one of its 10 steps escaped the mask, probability
     * {@code q = 1 - 0.999^10}. The inference form with the same p uses the expected gate
     * {@code 0.999 + 0.001 sigma}, which moves almost every unit by more than 1e-6.
     */
    @Test
    void shouldKeepCellAtItsInitialValueWhenZoneoutIsNearOne() {
        int hidden = 500;
        int steps = 10;
        QrnnStack stack = QrnnTestSupport.randomStack(QrnnStackSpec.builder()
                .inputSize(8).hiddenSize(hidden).window(2).pooling(Pooling.FO).zoneout(0.999).build(), new Random(3));
        float[] input = QrnnTestSupport.randomInputs(steps, 8, new Random(4));

        float[] trained = lastCell(QrnnLayerBackprop.forward(stack.layer(0), input,
                new TrainingNoise(new SplittableRandom(5))), hidden);
        float[] inferred = lastCell(QrnnLayerBackprop.forward(stack.layer(0), input, null), hidden);

        double escape = 1 - Math.pow(0.999, steps);
        assertThat((double) unitsMovedBeyond(trained, 0)).isLessThanOrEqualTo(upperBound(hidden, escape));
        assertThat(unitsMovedBeyond(inferred, 1e-6)).isGreaterThan(hidden * 9 / 10);
    }

    /**
     * A channel forced by zoneout has a forget gate of exactly 1 and keeps its previous cell exactly
     * ({@code c * 1 + 0 * z} rounds to c); an unforced one has the sigmoid of the inference pass.
     */
    @Test
    void shouldForceForgetChannelsToOneWithTheZoneoutProbability() {
        double p = 0.3;
        int hidden = 1000;
        int steps = 20;
        QrnnStack stack = QrnnTestSupport.randomStack(QrnnStackSpec.builder()
                .inputSize(6).hiddenSize(hidden).window(2).pooling(Pooling.F).zoneout(p).build(), new Random(6));
        float[] input = QrnnTestSupport.randomInputs(steps, 6, new Random(7));

        QrnnLayerBackprop.Tape tape = QrnnLayerBackprop.forward(stack.layer(0), input,
                new TrainingNoise(new SplittableRandom(8)));

        int forced = 0;
        int n = Pooling.F.gateCount() * hidden;
        for (int t = 0; t < steps; t++) {
            for (int u = 0; u < hidden; u++) {
                int at = t * hidden + u;
                if (tape.forced()[at]) {
                    forced++;
                    assertThat(tape.forget()[at]).isEqualTo(1f);
                    assertThat(tape.cells()[(t + 1) * hidden + u]).as("forced unit %d at step %d keeps its cell", u, t)
                            .isEqualTo(tape.cells()[t * hidden + u]);
                } else {
                    assertThat(tape.forget()[at]).isEqualTo(tape.gates()[t * n + Pooling.FORGET * hidden + u]);
                }
            }
        }

        int draws = hidden * steps;
        assertThat((double) forced).isBetween(lowerBound(draws, p), upperBound(draws, p));
    }

    @Test
    void shouldDifferFromInferenceAndRepeatForSameSeedWhenDropoutIsPositive() {
        QrnnStack stack = QrnnTestSupport.randomStack(QrnnStackSpec.builder()
                .inputSize(10).hiddenSize(12).layers(2).dense(true).dropout(0.5).zoneout(0.2).build(), new Random(10));
        float[] input = QrnnTestSupport.randomInputs(15, 10, new Random(11));

        float[] inference = QrnnStackBackprop.forward(stack, input, null).outputs();
        float[] first = trainingOutputs(stack, input, 42);
        float[] again = trainingOutputs(stack, input, 42);
        float[] otherSeed = trainingOutputs(stack, input, 43);

        assertThat(first).isNotEqualTo(inference);
        assertThat(again).containsExactly(first);
        assertThat(otherSeed).isNotEqualTo(first);
    }

    /**
     * One layer reads its input through the identity on Z (k = 1, bias 0) with the forget gate shut
     * (bias -100, so f is 0 to float precision and {@code h_t = z_t = tanh(x'_t)}): a dropped input gives
     * exactly tanh(0) = 0, a kept one tanh(x / (1 - p)). Inputs are at least 0.1 in magnitude, so the
     * two cases cannot be confused.
     */
    @Test
    void shouldDropInputsWithTheDropoutProbabilityAndScaleTheRest() {
        double p = 0.4;
        int width = 1000;
        int steps = 20;
        QrnnLayerSpec layerSpec = new QrnnLayerSpec(width, width, 1, Pooling.F, 0, p);
        float[] weights = new float[width * 2 * width];
        for (int i = 0; i < width; i++) {
            weights[i * 2 * width + Pooling.Z * width + i] = 1f;
        }
        float[] bias = new float[2 * width];
        Arrays.fill(bias, Pooling.FORGET * width, 2 * width, -100f);
        QrnnStack stack = new QrnnStack(
                QrnnStackSpec.builder().inputSize(width).hiddenSize(width).window(1).pooling(Pooling.F).dropout(p)
                        .build(),
                List.of(new QrnnLayer(layerSpec, weights, bias)));
        Random random = new Random(12);
        float[] input = new float[steps * width];
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) ((0.1 + 0.9 * random.nextDouble()) * (random.nextBoolean() ? 1 : -1));
        }

        float[] outputs = trainingOutputs(stack, input, 13);

        int dropped = 0;
        for (int i = 0; i < input.length; i++) {
            if (Math.abs(outputs[i]) < 1e-6) {
                dropped++;
            } else {
                assertThat((double) outputs[i]).as("kept input %d", i)
                        .isCloseTo(Math.tanh(input[i] / (1 - p)), within(1e-6));
            }
        }
        assertThat((double) dropped).isBetween(lowerBound(input.length, p), upperBound(input.length, p));
    }

    private static float[] trainingOutputs(QrnnStack stack, float[] input, long seed) {
        return QrnnStackBackprop.forward(stack, input, new TrainingNoise(new SplittableRandom(seed))).outputs();
    }

    /** The last layer's columns of a dense stack's served outputs; the outputs themselves otherwise. */
    private static float[] lastLayerOf(float[] served, QrnnStack stack, int steps) {
        int width = served.length / steps;
        int hidden = stack.spec().hiddenSize();
        float[] last = new float[steps * hidden];
        for (int t = 0; t < steps; t++) {
            System.arraycopy(served, t * width + width - hidden, last, t * hidden, hidden);
        }
        return last;
    }

    private static float[] lastCell(QrnnLayerBackprop.Tape tape, int hidden) {
        return Arrays.copyOfRange(tape.cells(), tape.timesteps() * hidden, (tape.timesteps() + 1) * hidden);
    }

    private static int unitsMovedBeyond(float[] values, double threshold) {
        int moved = 0;
        for (float value : values) {
            if (Math.abs(value) > threshold) {
                moved++;
            }
        }
        return moved;
    }

    private static double upperBound(int draws, double p) {
        return draws * p + SIGMAS * Math.sqrt(draws * p * (1 - p));
    }

    private static double lowerBound(int draws, double p) {
        return draws * p - SIGMAS * Math.sqrt(draws * p * (1 - p));
    }
}
