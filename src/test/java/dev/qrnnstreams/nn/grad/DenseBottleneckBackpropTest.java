package dev.qrnnstreams.nn.grad;

import dev.qrnnstreams.nn.DenseBottleneck;
import dev.qrnnstreams.nn.QrnnTestSupport;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bottleneck's analytic gradients against central differences of a float64 forward pass. */
class DenseBottleneckBackpropTest {
    private static final int IN = 7;
    private static final int OUT = 5;
    private static final int ROWS = 4;

    @Test
    void shouldMatchFiniteDifferencesOfTheFloat64Loss() {
        DenseBottleneck layer = DenseBottleneck.glorotUniform(IN, OUT, new Random(1));
        float[] bias = QrnnTestSupport.randomInputs(1, OUT, new Random(2));
        layer = new DenseBottleneck(IN, OUT, layer.weights(), bias);
        float[] inputs = QrnnTestSupport.randomInputs(ROWS, IN, new Random(3));
        float[] upstream = QrnnTestSupport.randomInputs(ROWS, OUT, new Random(4));
        float[] outputs = layer.forward(inputs, ROWS);
        float[] dWeights = new float[IN * OUT];
        float[] dBias = new float[OUT];

        DenseBottleneckBackprop.accumulate(layer, inputs, outputs, upstream, ROWS, dWeights, dBias);

        float[] weights = layer.weights();
        for (int i = 0; i < weights.length; i++) {
            int at = i;
            double numeric = FiniteDifferences.derivative(e -> {
                double[] w = toDouble(weights);
                w[at] = e;
                return loss(w, toDouble(bias), inputs, upstream);
            }, weights[i]);
            FiniteDifferences.assertGradient("dW[" + i + "]", dWeights[i], numeric);
        }
        for (int j = 0; j < OUT; j++) {
            int at = j;
            double numeric = FiniteDifferences.derivative(e -> {
                double[] b = toDouble(bias);
                b[at] = e;
                return loss(toDouble(weights), b, inputs, upstream);
            }, bias[j]);
            FiniteDifferences.assertGradient("db[" + j + "]", dBias[j], numeric);
        }
    }

    /** {@code sum g . tanh(x W + b)} in float64. */
    private static double loss(double[] w, double[] b, float[] x, float[] g) {
        double sum = 0;
        for (int r = 0; r < ROWS; r++) {
            for (int j = 0; j < OUT; j++) {
                double z = b[j];
                for (int i = 0; i < IN; i++) {
                    z += x[r * IN + i] * w[i * OUT + j];
                }
                sum += g[r * OUT + j] * Math.tanh(z);
            }
        }
        return sum;
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
