package dev.qrnnstreams.nn;

import dev.qrnnstreams.nn.cpu.CpuBackend;

import static dev.qrnnstreams.nn.NumericAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Guards the float64 reference {@link Float64Qrnn} against values worked out by hand, so that agreeing
 * with it means agreeing with the paper: the tap and gate layout, every pooling in closed form,
 * zoneout's expected gate, dense connections and the zero-padded carried window. The probes of the
 * layout also run the production backend, which must read the weights the same way.
 */
class Float64QrnnTest {
    private static final double EXACT = 1e-15;

    @Test
    void shouldMatchHandComputedFoPoolingWhenWindowIsTwo() {
        QrnnLayerSpec layerSpec = new QrnnLayerSpec(1, 1, 2, Pooling.FO, 0, 0);
        float[] weights = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f};
        float[] bias = {0.01f, 0.02f, 0.03f};
        QrnnStack stack = new QrnnStack(stackSpec(1, 1, 1, 2, Pooling.FO, false, 0),
                List.of(new QrnnLayer(layerSpec, weights, bias)));
        double x0 = 0.5;
        double x1 = -1.0;

        double c0 = (1 - sigmoid(0.5f * x0 + 0.02f)) * Math.tanh(0.4f * x0 + 0.01f);
        double h0 = sigmoid(0.6f * x0 + 0.03f) * c0;
        double f1 = sigmoid(0.2f * x0 + 0.5f * x1 + 0.02f);
        double c1 = f1 * c0 + (1 - f1) * Math.tanh(0.1f * x0 + 0.4f * x1 + 0.01f);
        double h1 = sigmoid(0.3f * x0 + 0.6f * x1 + 0.03f) * c1;

        Float64Qrnn.Result result = Float64Qrnn.run(stack, new double[][] {{x0}, {x1}});

        assertThat(result.outputs()[0][0]).isCloseTo(h0, within(EXACT));
        assertThat(result.outputs()[1][0]).isCloseTo(h1, within(EXACT));
        assertThat(result.layers().get(0).cell()[0]).isCloseTo(c1, within(EXACT));
        assertThat(result.layers().get(0).hidden()[0]).isCloseTo(h1, within(EXACT));
        assertThat(result.layers().get(0).window()).containsExactly(x1);
        assertThat(result.tokensSeen()).isEqualTo(2);
    }

    /**
     * One weight from (tap 0, feature 1) to (Z, unit 1) and one from (tap 1, feature 0) to (O, unit 0),
     * all else zero but a Z bias on unit 0: so f = o = 1/2 elsewhere, unit 1 sees the previous step's
     * feature 1 and unit 0's output gate sees the current feature 0.
     */
    @Test
    void shouldReadWeightAtRowTapTimesInputPlusFeatureAndColumnGateTimesHiddenPlusUnit() {
        int in = 2;
        int hidden = 2;
        int columns = 3 * hidden;
        float[] weights = new float[2 * in * columns];
        weights[(0 * in + 1) * columns + Pooling.Z * hidden + 1] = 1f;
        weights[(1 * in + 0) * columns + Pooling.OUTPUT * hidden + 0] = 2f;
        float[] bias = new float[columns];
        bias[Pooling.Z * hidden + 0] = 0.5f;
        QrnnStack stack = new QrnnStack(stackSpec(in, hidden, 1, 2, Pooling.FO, false, 0),
                List.of(new QrnnLayer(new QrnnLayerSpec(in, hidden, 2, Pooling.FO, 0, 0), weights, bias)));
        float[] x = {0.3f, 0.7f, 0.2f, -0.4f, 0.9f, 0.1f};

        double[][] expected = new double[3][2];
        double c0 = 0;
        double c1 = 0;
        for (int t = 0; t < 3; t++) {
            c0 = 0.5 * c0 + 0.5 * Math.tanh(0.5);
            expected[t][0] = sigmoid(2.0 * x[2 * t]) * c0;
            double previousFeature1 = t == 0 ? 0 : x[2 * (t - 1) + 1];
            c1 = 0.5 * c1 + 0.5 * Math.tanh(previousFeature1);
            expected[t][1] = 0.5 * c1;
        }

        Float64Qrnn.Result reference = Float64Qrnn.run(stack, Float64Qrnn.rows(x, in));
        assertClose("reference", toFloats(reference.outputs()), expected, 1e-7);
        try (CpuBackend backend = CpuBackend.vectorised()) {
            assertClose("cpu-vector", backend.step(stack, QrnnState.initial(stack), x).outputs(), expected, 1e-6);
        }
    }

    /**
     * With all weights zero the gates are constant (from the biases), so after T steps from zero
     * {@code c_T = z (1 - f^T)} for f- and fo-pooling and {@code c_T = i z (1 - f^T) / (1 - f)} for ifo,
     * with {@code f = p + (1 - p) sigmoid(b_F)} under zoneout p.
     */
    @ParameterizedTest
    @EnumSource(Pooling.class)
    void shouldMatchClosedFormWhenGatesAreConstant(Pooling pooling) {
        for (double zoneout : new double[] {0.0, 0.4}) {
            int columns = pooling.gateCount();
            float[] bias = {0.7f, -0.3f, 1.1f, 0.2f};
            QrnnLayerSpec layerSpec = new QrnnLayerSpec(1, 1, 1, pooling, zoneout, 0);
            QrnnStack stack = new QrnnStack(stackSpec(1, 1, 1, 1, pooling, false, zoneout),
                    List.of(new QrnnLayer(layerSpec, new float[columns], Arrays.copyOf(bias, columns))));
            int steps = 5;
            double z = Math.tanh(0.7f);
            double f = zoneout + (1 - zoneout) * sigmoid(-0.3f);
            double o = pooling.hasOutputGate() ? sigmoid(1.1f) : 1.0;
            double c = pooling == Pooling.IFO
                    ? sigmoid(0.2f) * z * (1 - Math.pow(f, steps)) / (1 - f)
                    : z * (1 - Math.pow(f, steps));

            Float64Qrnn.LayerEnd end = Float64Qrnn.run(stack, new double[steps][1]).layers().get(0);

            assertThat(end.cell()[0]).as("%s zoneout %s cell", pooling, zoneout).isCloseTo(c, within(1e-14));
            assertThat(end.hidden()[0]).as("%s zoneout %s hidden", pooling, zoneout).isCloseTo(o * c, within(1e-14));
        }
    }

    /**
     * Layer 1 of a dense stack reads [x_t; h1_t]: with its Z weights 1 on x and 10 on h1 (current tap),
     * its candidate is tanh(x_t + 10 h1_t); its carried window is the last [x; h1] row.
     */
    @Test
    void shouldFeedLaterLayersTheStackInputAndEarlierOutputsWhenDense() {
        QrnnStackSpec spec = stackSpec(1, 1, 2, 2, Pooling.F, true, 0);
        float[] first = new float[2 * 1 * 2];
        first[(1 * 1 + 0) * 2 + Pooling.Z] = 1f;
        float[] second = new float[2 * 2 * 2];
        second[(1 * 2 + 0) * 2 + Pooling.Z] = 1f;
        second[(1 * 2 + 1) * 2 + Pooling.Z] = 10f;
        QrnnStack stack = new QrnnStack(spec, List.of(
                new QrnnLayer(spec.layerSpecs().get(0), first, new float[2]),
                new QrnnLayer(spec.layerSpecs().get(1), second, new float[2])));
        double[] x = {0.3, -0.8, 0.5};

        double h1 = 0;
        double h2 = 0;
        double[][] expected = new double[3][1];
        for (int t = 0; t < 3; t++) {
            h1 = 0.5 * h1 + 0.5 * Math.tanh(x[t]);
            h2 = 0.5 * h2 + 0.5 * Math.tanh(x[t] + 10 * h1);
            expected[t][0] = h2;
        }

        Float64Qrnn.Result result = Float64Qrnn.run(stack, new double[][] {{x[0]}, {x[1]}, {x[2]}});

        for (int t = 0; t < 3; t++) {
            assertThat(result.outputs()[t][0]).isCloseTo(expected[t][0], within(EXACT));
        }
        assertThat(result.layers().get(1).window()[0]).isEqualTo(x[2]);
        assertThat(result.layers().get(1).window()[1]).isCloseTo(h1, within(EXACT));
        assertThat(result.layers().get(1).cell()).containsExactly(result.layers().get(1).hidden());
    }

    @Test
    void shouldZeroPadCarriedWindowWhenSequenceIsShorterThanWindow() {
        QrnnStackSpec spec = stackSpec(2, 3, 1, 4, Pooling.FO, false, 0);
        QrnnStack stack = QrnnStack.glorotUniform(spec, new Random(1));

        Float64Qrnn.Result two = Float64Qrnn.run(stack, new double[][] {{1, 2}, {3, 4}});
        Float64Qrnn.Result none = Float64Qrnn.run(stack, new double[0][]);

        assertThat(two.layers().get(0).window()).containsExactly(0, 0, 1, 2, 3, 4);
        assertThat(none.outputs()).isEmpty();
        assertThat(none.tokensSeen()).isZero();
        assertThat(none.layers().get(0).window()).containsOnly(0.0).hasSize(6);
        assertThat(none.layers().get(0).cell()).containsOnly(0.0).hasSize(3);
    }

    private static QrnnStackSpec stackSpec(int in, int hidden, int layers, int window, Pooling pooling, boolean dense,
                                           double zoneout) {
        return QrnnStackSpec.builder().inputSize(in).hiddenSize(hidden).layers(layers).window(window)
                .pooling(pooling).dense(dense).zoneout(zoneout).build();
    }

    private static float[] toFloats(double[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < rows[r].length; c++) {
                flat[r * rows[r].length + c] = (float) rows[r][c];
            }
        }
        return flat;
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }
}
