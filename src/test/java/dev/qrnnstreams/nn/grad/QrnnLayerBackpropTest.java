package dev.qrnnstreams.nn.grad;

import dev.qrnnstreams.nn.Float64Qrnn;
import dev.qrnnstreams.nn.NumericAssertions;
import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.QrnnLayer;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.QrnnTestSupport;
import dev.qrnnstreams.nn.cpu.CpuBackend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the hand-written backward pass of a QRNN layer against central finite differences of the
 * independent float64 forward pass ({@link Float64Qrnn}) for the loss {@code L = sum_t g_t . h_t} with
 * random {@code g}, for every pooling, several windows, with and without zoneout's inference form.
 */
class QrnnLayerBackpropTest {
    private static final int INPUT = 5;
    private static final int HIDDEN = 6;
    private static final int STEPS = 7;

    static Stream<Arguments> layers() {
        return Stream.of(Pooling.values()).flatMap(pooling -> Stream.of(1, 2, 3).flatMap(window ->
                Stream.of(0.0, 0.3).map(zoneout -> Arguments.of(pooling, window, zoneout))));
    }

    @ParameterizedTest(name = "{0} k={1} zoneout={2}")
    @MethodSource("layers")
    void shouldMatchFiniteDifferencesOfTheFloat64Forward(Pooling pooling, int window, double zoneout) {
        QrnnStack stack = QrnnTestSupport.randomStack(QrnnStackSpec.builder().inputSize(INPUT).hiddenSize(HIDDEN)
                .window(window).pooling(pooling).zoneout(zoneout).build(), new Random(window * 7L + pooling.ordinal()));
        QrnnLayer layer = stack.layer(0);
        Random random = new Random(42);
        float[] input = QrnnTestSupport.randomInputs(STEPS, INPUT, random);
        float[] upstream = QrnnTestSupport.randomInputs(STEPS, HIDDEN, random);

        QrnnLayerBackprop.Tape tape = QrnnLayerBackprop.forward(layer, input, null);
        QrnnLayerBackprop.Gradients gradients = QrnnLayerBackprop.backward(tape, upstream);

        float[] weights = layer.packedWeights();
        float[] bias = layer.bias();
        for (int index = 0; index < weights.length; index += 3) {
            int i = index;
            double numeric = FiniteDifferences.derivative(e -> loss(withWeight(layer, i, e), input, upstream),
                    weights[i]);
            FiniteDifferences.assertGradient(String.format("dW[%d]", i), gradients.weights()[i], numeric);
        }
        for (int i = 0; i < bias.length; i++) {
            int b = i;
            double numeric = FiniteDifferences.derivative(e -> loss(withBias(layer, b, e), input, upstream), bias[b]);
            FiniteDifferences.assertGradient(String.format("db[%d]", b), gradients.bias()[b], numeric);
        }
        for (int i = 0; i < input.length; i++) {
            int x = i;
            double numeric = FiniteDifferences.derivative(e -> {
                float[] moved = input.clone();
                moved[x] = (float) e;
                return loss(layer, moved, upstream);
            }, input[x]);
            FiniteDifferences.assertGradient(String.format("dX[%d]", x), gradients.input()[x], numeric);
        }
    }

    @Test
    void shouldReproduceTheInferenceOutputsOfTheBackends() {
        QrnnStack stack = QrnnTestSupport.randomStack(QrnnStackSpec.builder().inputSize(INPUT).hiddenSize(HIDDEN)
                .window(2).pooling(Pooling.IFO).zoneout(0.2).build(), new Random(5));
        float[] input = QrnnTestSupport.randomInputs(STEPS, INPUT, new Random(6));

        float[] taped = QrnnLayerBackprop.forward(stack.layer(0), input, null).outputs();
        try (CpuBackend backend = CpuBackend.vectorised()) {
            NumericAssertions.assertClose("taped vs backend outputs", taped,
                    backend.step(stack, QrnnState.initial(stack), input).outputs(), 1e-5);
        }
    }

    @Test
    void shouldPassNoGradientThroughForgetChannelsForcedByZoneout() {
        QrnnStack stack = QrnnTestSupport.randomStack(QrnnStackSpec.builder().inputSize(INPUT).hiddenSize(HIDDEN)
                .window(2).pooling(Pooling.FO).zoneout(0.5).build(), new Random(8));
        float[] input = QrnnTestSupport.randomInputs(STEPS, INPUT, new Random(9));
        QrnnLayerBackprop.Tape tape = QrnnLayerBackprop.forward(stack.layer(0), input,
                new TrainingNoise(new SplittableRandom(10)));
        float[] upstream = QrnnTestSupport.randomInputs(STEPS, HIDDEN, new Random(11));

        float[] dBias = QrnnLayerBackprop.backward(tape, upstream).bias();

        for (int u = 0; u < HIDDEN; u++) {
            boolean alwaysForced = true;
            for (int t = 0; t < STEPS; t++) {
                alwaysForced &= tape.forced()[t * HIDDEN + u];
                assertThat(tape.forget()[t * HIDDEN + u]).isEqualTo(tape.forced()[t * HIDDEN + u] ? 1f
                        : tape.gates()[t * 3 * HIDDEN + HIDDEN + u]);
            }
            if (alwaysForced) {
                assertThat(dBias[HIDDEN + u]).as("forget bias of unit %d, forced at every step", u).isZero();
            }
        }
        assertThat(List.of(tape.forced().length)).containsExactly(STEPS * HIDDEN);
    }

    private static double loss(QrnnLayer layer, float[] input, float[] upstream) {
        QrnnStack stack = new QrnnStack(QrnnStackSpec.builder().inputSize(INPUT).hiddenSize(HIDDEN)
                .window(layer.spec().window()).pooling(layer.spec().pooling()).zoneout(layer.spec().zoneout()).build(),
                List.of(layer));
        return FiniteDifferences.weightedOutputs(stack, input, upstream);
    }

    private static QrnnLayer withWeight(QrnnLayer layer, int index, double value) {
        float[] weights = layer.packedWeights();
        weights[index] = (float) value;
        return new QrnnLayer(layer.spec(), weights, layer.bias());
    }

    private static QrnnLayer withBias(QrnnLayer layer, int index, double value) {
        float[] bias = layer.bias();
        bias[index] = (float) value;
        return new QrnnLayer(layer.spec(), layer.packedWeights(), bias);
    }
}
