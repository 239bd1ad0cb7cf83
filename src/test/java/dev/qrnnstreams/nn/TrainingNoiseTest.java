package dev.qrnnstreams.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guards the training-time forward pass {@link CpuBackend#stepTraining}: zoneout forces forget channels
 * to exactly 1 with probability p (Bradbury et al. 2017, section 2.1), inverted input dropout zeroes
 * inputs with probability p and scales the rest by 1/(1-p), masks repeat for a repeated seed, and
 * with both probabilities 0 training is the inference pass bit for bit.
 *
 * <p>The statistical checks count n independent Bernoulli(p) draws and accept the count within
 * {@value #SIGMAS} standard deviations {@code sqrt(n p (1 - p))} of {@code n p}; the generators are
 * seeded, so each check is deterministic, and a correct implementation would fail one for a fresh seed
 * with probability below 1e-6 (normal tail at 5 sigma, n in the thousands).
 */
class TrainingNoiseTest {
    private static final double SIGMAS = 5;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.qrnnstreams.nn.QrnnTestSupport#cpuBackends")
    void shouldEqualInferenceExactlyWhenDropoutAndZoneoutAreZero(String name, Supplier<CpuBackend> factory) {
        for (Pooling pooling : Pooling.values()) {
            QrnnStack stack = QrnnTestSupport.randomStack(QrnnStackSpec.builder()
                    .inputSize(6).hiddenSize(21).layers(3).window(3).pooling(pooling).dense(true).build(),
                    new Random(pooling.ordinal()));
            Random random = new Random(8);
            try (CpuBackend backend = factory.get()) {
                QrnnState started = backend.step(stack, QrnnState.initial(stack),
                        QrnnTestSupport.randomInputs(4, 6, random)).state();
                List<QrnnState> states = List.of(QrnnState.initial(stack), started);
                List<float[]> chunks = List.of(QrnnTestSupport.randomInputs(9, 6, random),
                        QrnnTestSupport.randomInputs(5, 6, random));

                List<StepResult> inference = backend.step(stack, states, chunks);
                List<StepResult> training = backend.stepTraining(stack, states, chunks,
                        new TrainingNoise(new SplittableRandom(1)));

                for (int b = 0; b < 2; b++) {
                    assertThat(training.get(b).outputs()).as(name + " " + pooling)
                            .containsExactly(inference.get(b).outputs());
                    assertThat(training.get(b).state()).as(name + " " + pooling).isEqualTo(inference.get(b).state());
                }
            }
        }
    }

    /**
     * With p = 0.999 almost every forget channel is 1 at every step, so c stays at its initial value up
     * to the rounding of {@code f (c - z) + z} (below 1.2e-7 per step, so below 1e-5 after 10 steps); a
     * unit moves by more only if at least one of its 10 steps escaped the mask, probability
     * {@code q = 1 - 0.999^10}. The inference pass with the same p uses the expected gate
     * {@code 0.999 + 0.001 sigma}, which moves almost every unit by more than that.
     */
    @Test
    void shouldKeepCellAtItsInitialValueWhenZoneoutIsNearOne() {
        int hidden = 500;
        int steps = 10;
        QrnnStack stack = QrnnTestSupport.randomStack(QrnnStackSpec.builder()
                .inputSize(8).hiddenSize(hidden).window(2).pooling(Pooling.FO).zoneout(0.999).build(), new Random(3));
        Random random = new Random(4);
        float[] initialCell = QrnnTestSupport.randomInputs(1, hidden, random);
        QrnnState start = new QrnnState(List.of(LayerState.of(Pooling.FO, initialCell, new float[hidden],
                QrnnTestSupport.randomInputs(1, 8, random))), 0);
        float[] chunk = QrnnTestSupport.randomInputs(steps, 8, random);

        try (CpuBackend backend = CpuBackend.vectorised()) {
            float[] trained = backend.stepTraining(stack, List.of(start), List.of(chunk),
                    new TrainingNoise(new SplittableRandom(5))).get(0).state().layer(0).cell();
            float[] inferred = backend.step(stack, start, chunk).state().layer(0).cell();

            double escape = 1 - Math.pow(0.999, steps);
            assertThat((double) unitsMovedBeyond(trained, initialCell, 1e-5))
                    .isLessThanOrEqualTo(upperBound(hidden, escape));
            assertThat(unitsMovedBeyond(inferred, initialCell, 1e-5)).isGreaterThan(hidden * 9 / 10);
        }
    }

    /**
     * Steps one timestep at a time and, from each state, compares the training step with the inference
     * step of the same weights without zoneout: a channel that was not forced sees the same gate and
     * gives the bit-identical cell; a forced one keeps its previous cell exactly (f = 1 gives
     * {@code c * 1 + 0 * z}, which rounds to c) and differs.
     */
    @Test
    void shouldForceForgetChannelsToOneWithTheZoneoutProbability() {
        double p = 0.3;
        int hidden = 1000;
        int steps = 20;
        QrnnStackSpec spec = QrnnStackSpec.builder()
                .inputSize(6).hiddenSize(hidden).window(2).pooling(Pooling.F).zoneout(p).build();
        QrnnStack zoned = QrnnTestSupport.randomStack(spec, new Random(6));
        QrnnStack plain = withSpec(zoned, QrnnStackSpec.builder()
                .inputSize(6).hiddenSize(hidden).window(2).pooling(Pooling.F).build());
        float[] sequence = QrnnTestSupport.randomInputs(steps, 6, new Random(7));
        TrainingNoise noise = new TrainingNoise(new SplittableRandom(8));

        int forced = 0;
        try (CpuBackend backend = CpuBackend.vectorised()) {
            QrnnState state = backend.step(plain, QrnnState.initial(plain), QrnnTestSupport.randomInputs(3, 6,
                    new Random(9))).state();
            for (int t = 0; t < steps; t++) {
                float[] x = Arrays.copyOfRange(sequence, t * 6, (t + 1) * 6);
                float[] before = state.layer(0).cell();
                QrnnState trained = backend.stepTraining(zoned, List.of(state), List.of(x), noise).get(0).state();
                float[] unforced = backend.step(plain, state, x).state().layer(0).cell();
                float[] after = trained.layer(0).cell();
                for (int u = 0; u < hidden; u++) {
                    if (Float.compare(after[u], unforced[u]) != 0) {
                        forced++;
                        assertThat(after[u]).as("forced unit %d at step %d keeps its cell", u, t)
                                .isEqualTo(before[u]);
                    }
                }
                state = trained;
            }
        }

        int draws = hidden * steps;
        assertThat((double) forced).isBetween(lowerBound(draws, p), upperBound(draws, p));
    }

    @Test
    void shouldDifferFromInferenceAndRepeatForSameSeedWhenDropoutIsPositive() {
        QrnnStack stack = QrnnTestSupport.randomStack(QrnnStackSpec.builder()
                .inputSize(10).hiddenSize(12).layers(2).dense(true).dropout(0.5).zoneout(0.2).build(), new Random(10));
        float[] chunk = QrnnTestSupport.randomInputs(15, 10, new Random(11));
        List<QrnnState> states = List.of(QrnnState.initial(stack));

        try (CpuBackend backend = CpuBackend.vectorised()) {
            StepResult inference = backend.step(stack, states.get(0), chunk);
            StepResult first = backend.stepTraining(stack, states, List.of(chunk),
                    new TrainingNoise(new SplittableRandom(42))).get(0);
            StepResult again = backend.stepTraining(stack, states, List.of(chunk),
                    new TrainingNoise(new SplittableRandom(42))).get(0);
            StepResult otherSeed = backend.stepTraining(stack, states, List.of(chunk),
                    new TrainingNoise(new SplittableRandom(43))).get(0);

            assertThat(first.outputs()).isNotEqualTo(inference.outputs());
            assertThat(again.outputs()).containsExactly(first.outputs());
            assertThat(again.state()).isEqualTo(first.state());
            assertThat(otherSeed.outputs()).isNotEqualTo(first.outputs());
        }
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
        float[] chunk = new float[steps * width];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (float) ((0.1 + 0.9 * random.nextDouble()) * (random.nextBoolean() ? 1 : -1));
        }

        float[] outputs;
        try (CpuBackend backend = CpuBackend.vectorised()) {
            outputs = backend.stepTraining(stack, List.of(QrnnState.initial(stack)), List.of(chunk),
                    new TrainingNoise(new SplittableRandom(13))).get(0).outputs();
        }

        int dropped = 0;
        for (int i = 0; i < chunk.length; i++) {
            if (Math.abs(outputs[i]) < 1e-6) {
                dropped++;
            } else {
                assertThat((double) outputs[i]).as("kept input %d", i)
                        .isCloseTo(Math.tanh(chunk[i] / (1 - p)), within(1e-6));
            }
        }
        assertThat((double) dropped).isBetween(lowerBound(chunk.length, p), upperBound(chunk.length, p));
    }

    private static int unitsMovedBeyond(float[] values, float[] initial, double threshold) {
        int moved = 0;
        for (int u = 0; u < values.length; u++) {
            if (Math.abs(values[u] - initial[u]) > threshold) {
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

    private static QrnnStack withSpec(QrnnStack stack, QrnnStackSpec spec) {
        List<QrnnLayer> layers = new ArrayList<>();
        for (int l = 0; l < stack.layers().size(); l++) {
            QrnnLayer layer = stack.layer(l);
            layers.add(new QrnnLayer(spec.layerSpecs().get(l), layer.packedWeights(), layer.bias()));
        }
        return new QrnnStack(spec, layers);
    }
}
