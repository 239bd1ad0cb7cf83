package dev.qrnnstreams.nn.grad;

import dev.qrnnstreams.nn.Float64Qrnn;
import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.QrnnLayer;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.nn.QrnnTestSupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks the backward pass of a whole stack, dense connections included, against central finite
 * differences of the float64 forward ({@link Float64Qrnn}) for {@code L = sum_t g_t . h_t}.
 */
class QrnnStackBackpropTest {
    private static final int INPUT = 4;
    private static final int HIDDEN = 5;
    private static final int STEPS = 6;

    @ParameterizedTest(name = "dense={0}")
    @ValueSource(booleans = {false, true})
    void shouldMatchFiniteDifferencesOfTheFloat64Forward(boolean dense) {
        QrnnStack stack = QrnnTestSupport.randomStack(QrnnStackSpec.builder().inputSize(INPUT).hiddenSize(HIDDEN)
                .layers(3).window(2).pooling(Pooling.FO).pooling(1, Pooling.IFO).pooling(2, Pooling.F).dense(dense)
                .zoneout(0.2).build(), new Random(dense ? 1 : 2));
        Random random = new Random(3);
        float[] input = QrnnTestSupport.randomInputs(STEPS, INPUT, random);
        float[] upstream = QrnnTestSupport.randomInputs(STEPS, HIDDEN, random);

        QrnnStackBackprop.Gradients gradients = QrnnStackBackprop.backward(
                QrnnStackBackprop.forward(stack, input, null), upstream);

        for (int l = 0; l < 3; l++) {
            float[] weights = stack.layer(l).packedWeights();
            for (int i = l; i < weights.length; i += 5) {
                int layer = l;
                int index = i;
                double numeric = FiniteDifferences.derivative(
                        e -> FiniteDifferences.weightedOutputs(withWeight(stack, layer, index, e), input, upstream),
                        weights[i]);
                FiniteDifferences.assertGradient(String.format("layer %d dW[%d]", l, i),
                        gradients.layers().get(l).weights()[i], numeric);
            }
        }
        for (int i = 0; i < input.length; i++) {
            int x = i;
            double numeric = FiniteDifferences.derivative(e -> {
                float[] moved = input.clone();
                moved[x] = (float) e;
                return FiniteDifferences.weightedOutputs(stack, moved, upstream);
            }, input[x]);
            FiniteDifferences.assertGradient(String.format("dX[%d]", x), gradients.input()[x], numeric);
        }
    }

    @Test
    void shouldPassNoGradientToDroppedInputs() {
        QrnnStack stack = QrnnTestSupport.randomStack(QrnnStackSpec.builder().inputSize(INPUT).hiddenSize(HIDDEN)
                .layers(2).dense(true).dropout(0.5).build(), new Random(4));
        float[] input = QrnnTestSupport.randomInputs(STEPS, INPUT, new Random(5));
        QrnnStackBackprop.Tape tape = QrnnStackBackprop.forward(stack, input,
                new TrainingNoise(new SplittableRandom(6)));

        float[] dInput = QrnnStackBackprop.backward(tape, QrnnTestSupport.randomInputs(STEPS, HIDDEN, new Random(7)))
                .input();

        float[] firstMask = tape.dropoutMasks().get(0);
        float[] secondMask = tape.dropoutMasks().get(1);
        int secondWidth = INPUT + HIDDEN;
        int bothDropped = 0;
        for (int t = 0; t < STEPS; t++) {
            for (int i = 0; i < INPUT; i++) {
                if (firstMask[t * INPUT + i] == 0f && secondMask[t * secondWidth + i] == 0f) {
                    bothDropped++;
                    assertThat(dInput[t * INPUT + i]).as("input (%d, %d) dropped by both layers", t, i).isZero();
                }
            }
        }
        assertThat(bothDropped).as("inputs dropped by both layers in this seed").isPositive();
    }

    private static QrnnStack withWeight(QrnnStack stack, int layerIndex, int index, double value) {
        List<QrnnLayer> layers = new ArrayList<>(stack.layers());
        QrnnLayer layer = layers.get(layerIndex);
        float[] weights = layer.packedWeights();
        weights[index] = (float) value;
        layers.set(layerIndex, new QrnnLayer(layer.spec(), weights, layer.bias()));
        return new QrnnStack(stack.spec(), layers);
    }
}
