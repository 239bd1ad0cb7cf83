package dev.qrnnstreams.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigInteger;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The projection model's two layers against independent float64 and bit-string references: the
 * ternary projection reads each feature's two bits as the specification says, and the bottleneck is
 * {@code tanh(x W + b)}.
 */
class ProjectionLayersTest {

    @Test
    void shouldReadEachFeatureFromTwoBitsOfItsMixedWord() {
        int features = 80;
        long hash = 0x0123456789abcdefL;
        float[] actual = new float[features];

        new TernaryProjection(features).project(new long[] {hash}, actual, 0);

        for (int i = 0; i < features; i++) {
            int j = i / 32;
            String bits = String.format("%64s", new BigInteger(Long.toUnsignedString(
                    splitMix(hash + (j + 1) * 0x9E3779B97F4A7C15L)), 10).toString(2)).replace(' ', '0');
            int low = 63 - 2 * (i % 32);
            String pair = "" + bits.charAt(low - 1) + bits.charAt(low);
            float expected = switch (pair) {
                case "01" -> 1f;
                case "10" -> -1f;
                default -> 0f;
            };
            assertThat(actual[i]).as("feature %d (bits %s)", i, pair).isEqualTo(expected);
        }
    }

    @Test
    void shouldGiveZeroHalfTheTimeAndEachSignAQuarterOfTheTime() {
        int features = 256;
        int tokens = 400;
        Random random = new Random(5);
        int zeros = 0;
        int plus = 0;
        TernaryProjection projection = new TernaryProjection(features);
        for (int t = 0; t < tokens; t++) {
            float[] row = new float[features];
            projection.project(new long[] {random.nextLong()}, row, 0);
            for (float value : row) {
                zeros += value == 0f ? 1 : 0;
                plus += value == 1f ? 1 : 0;
            }
        }
        int n = features * tokens;
        assertThat((double) zeros).isCloseTo(n / 2.0, within(5 * Math.sqrt(n / 4.0)));
        assertThat((double) plus).isCloseTo(n / 4.0, within(5 * Math.sqrt(n * 3 / 16.0)));
    }

    @Test
    void shouldSumTheHashesOfATokenScaledByTheRootOfTheirCount() {
        TernaryProjection projection = new TernaryProjection(40);
        long[] hashes = {11L, 22L, 33L, 44L};
        float[] sum = new float[40];
        for (long hash : hashes) {
            float[] one = new float[40];
            projection.project(new long[] {hash}, one, 0);
            for (int i = 0; i < 40; i++) {
                sum[i] += one[i];
            }
        }

        float[] rows = projection.project(List.of(new long[] {7L}, hashes));

        for (int i = 0; i < 40; i++) {
            assertThat((double) rows[40 + i]).isCloseTo(sum[i] / 2.0, within(1e-6));
        }
        assertThatThrownBy(() -> projection.project(new long[0], new float[40], 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldComputeTanhOfTheAffineMapOfEveryRow() {
        int in = 37;
        int out = 70;
        int rows = 6;
        Random random = new Random(9);
        float[] weights = QrnnTestSupport.randomInputs(in, out, random);
        float[] bias = QrnnTestSupport.randomInputs(1, out, random);
        float[] inputs = QrnnTestSupport.randomInputs(rows, in, random);
        DenseBottleneck layer = new DenseBottleneck(in, out, weights, bias);

        float[] actual = layer.forward(inputs, rows);

        double[] expected = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < out; j++) {
                double z = bias[j];
                for (int i = 0; i < in; i++) {
                    z += (double) inputs[r * in + i] * weights[i * out + j];
                }
                expected[r * out + j] = Math.tanh(z);
            }
        }
        NumericAssertions.assertClose("bottleneck", actual, expected, 1e-5);
        assertThat(layer.forward(new float[0], 0)).isEmpty();
        assertThatThrownBy(() -> layer.forward(new float[in + 1], 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static long splitMix(long value) {
        long z = (value ^ (value >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
