package dev.qrnnstreams.nn.grad;

import dev.qrnnstreams.nn.Float64Qrnn;
import dev.qrnnstreams.nn.QrnnStack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Numerical derivatives for gradient checks: central differences of a float64 loss, and the
 * tolerance a float32 analytic gradient is held to.
 */
final class FiniteDifferences {
    private static final double STEP = 1e-3;

    private FiniteDifferences() {
    }

    /** A scalar loss as a function of one parameter value. */
    interface Loss {
        double at(double value);
    }

    /** {@code (L(v + e) - L(v - e)) / 2e} with {@code e = 1e-3}. */
    static double derivative(Loss loss, float value) {
        return (loss.at(value + STEP) - loss.at(value - STEP)) / (2 * STEP);
    }

    /** Float32 gradients of a float64 quantity: a relative 2e-3 plus an absolute floor for near-zero ones. */
    static double tolerance(double expected) {
        return 2e-3 * Math.abs(expected) + 2e-5;
    }

    /** Fails unless the analytic gradient {@code actual} is within {@link #tolerance} of {@code numeric}. */
    static void assertGradient(String what, float actual, double numeric) {
        assertThat((double) actual).as(what).isCloseTo(numeric, within(tolerance(numeric)));
    }

    /** {@code L = sum_t g_t . h_t}: the float64 reference outputs of {@code stack} weighted by {@code upstream}. */
    static double weightedOutputs(QrnnStack stack, float[] input, float[] upstream) {
        double[][] outputs = Float64Qrnn.run(stack, Float64Qrnn.rows(input, stack.inputSize())).outputs();
        double sum = 0;
        for (int t = 0; t < outputs.length; t++) {
            for (int u = 0; u < outputs[t].length; u++) {
                sum += upstream[t * outputs[t].length + u] * outputs[t][u];
            }
        }
        return sum;
    }
}
