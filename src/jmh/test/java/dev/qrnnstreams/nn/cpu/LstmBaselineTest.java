package dev.qrnnstreams.nn.cpu;

import dev.qrnnstreams.nn.NumericAssertions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LstmBaselineTest {
    private static final double RTOL = 1e-5;

    static Stream<Arguments> paths() {
        return Stream.of(
                Arguments.of("cpu", (Supplier<LstmBaseline>) LstmBaseline::cpu),
                Arguments.of("vectorised", (Supplier<LstmBaseline>) LstmBaseline::vectorised),
                Arguments.of("nd4jGemm", (Supplier<LstmBaseline>) LstmBaseline::nd4jGemm));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void shouldMatchFloat64ReferenceForSequencesOfUnequalLengths(String name, Supplier<LstmBaseline> path) {
        SplittableRandom random = new SplittableRandom(11);
        LstmLayer layer = withRandomBias(LstmLayer.glorotUniform(7, 13, random), random);
        List<float[]> chunks = sequences(random, 7, 5, 0, 1, 9, 5, 2);

        try (LstmBaseline lstm = path.get()) {
            assertMatchesReference(name, layer, chunks, lstm.run(layer, chunks));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void shouldMatchFloat64ReferenceForManySequencesOfMixedLengths(String name, Supplier<LstmBaseline> path) {
        SplittableRandom random = new SplittableRandom(12);
        LstmLayer layer = withRandomBias(LstmLayer.glorotUniform(32, 48, random), random);
        int[] lengths = new int[70];
        for (int b = 0; b < lengths.length; b++) {
            lengths[b] = 1 + b % 5;
        }
        List<float[]> chunks = sequences(random, 32, lengths);

        try (LstmBaseline lstm = path.get()) {
            assertMatchesReference(name, layer, chunks, lstm.run(layer, chunks));
        }
    }

    @Test
    void shouldMatchFloat64ReferenceForOneLongSequenceAndReuseBuffersAcrossCalls() {
        SplittableRandom random = new SplittableRandom(13);
        LstmLayer layer = withRandomBias(LstmLayer.glorotUniform(16, 32, random), random);
        List<float[]> longOne = sequences(random, 16, 200);
        List<float[]> shortOnes = sequences(random, 16, 3, 1);

        try (LstmBaseline lstm = LstmBaseline.cpu()) {
            assertMatchesReference("long", layer, longOne, lstm.run(layer, longOne));
            assertMatchesReference("short after long", layer, shortOnes, lstm.run(layer, shortOnes));
        }
    }

    @Test
    void shouldReturnNoSequencesForAnEmptyBatch() {
        try (LstmBaseline lstm = LstmBaseline.cpu()) {
            assertThat(lstm.run(LstmLayer.glorotUniform(4, 4, new SplittableRandom(1)), List.of())).isEmpty();
        }
    }

    @Test
    void shouldRejectAChunkThatDoesNotHoldWholeTimesteps() {
        LstmLayer layer = LstmLayer.glorotUniform(4, 3, new SplittableRandom(2));
        try (LstmBaseline lstm = LstmBaseline.cpu()) {
            assertThatThrownBy(() -> lstm.run(layer, List.of(new float[6])))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("whole 4-feature timesteps");
        }
    }

    @Test
    void shouldRejectParametersOfTheWrongLength() {
        assertThatThrownBy(() -> new LstmLayer(3, 2, new float[3 * 8], new float[2 * 8], new float[7]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bias");
        assertThatThrownBy(() -> new LstmLayer(3, 2, new float[3 * 8], new float[2 * 7], new float[8]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weights");
    }

    private static void assertMatchesReference(String what, LstmLayer layer, List<float[]> chunks,
                                               List<float[]> actual) {
        assertThat(actual).as(what).hasSize(chunks.size());
        for (int b = 0; b < chunks.size(); b++) {
            double[][] expected = Float64Lstm.forward(layer, chunks.get(b));
            NumericAssertions.assertClose(what + ", sequence " + b, actual.get(b), expected, RTOL);
        }
    }

    private static LstmLayer withRandomBias(LstmLayer layer, SplittableRandom random) {
        float[] bias = new float[LstmLayer.GATES * layer.hiddenSize()];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (float) random.nextDouble(-0.5, 0.5);
        }
        return new LstmLayer(layer.inputSize(), layer.hiddenSize(), layer.inputWeights(), layer.recurrentWeights(),
                bias);
    }

    private static List<float[]> sequences(SplittableRandom random, int inputSize, int... lengths) {
        List<float[]> chunks = new ArrayList<>();
        for (int length : lengths) {
            float[] chunk = new float[length * inputSize];
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = (float) random.nextDouble(-2, 2);
            }
            chunks.add(chunk);
        }
        return chunks;
    }

    /**
     * An independent float64 LSTM in plain loops, from the equations in the {@link LstmLayer} Javadoc
     * (Hochreiter and Schmidhuber 1997); parameters read through public accessors only.
     */
    private static final class Float64Lstm {
        private Float64Lstm() {
        }

        static double[][] forward(LstmLayer layer, float[] x) {
            int in = layer.inputSize();
            int h = layer.hiddenSize();
            int width = 4 * h;
            float[] w = layer.inputWeights();
            float[] u = layer.recurrentWeights();
            float[] b = layer.bias();
            int steps = x.length / in;
            double[][] out = new double[steps][h];
            double[] hidden = new double[h];
            double[] cell = new double[h];
            for (int t = 0; t < steps; t++) {
                double[] next = new double[h];
                for (int unit = 0; unit < h; unit++) {
                    double[] pre = new double[4];
                    for (int gate = 0; gate < 4; gate++) {
                        int column = gate * h + unit;
                        double sum = b[column];
                        for (int i = 0; i < in; i++) {
                            sum += (double) x[t * in + i] * w[i * width + column];
                        }
                        for (int j = 0; j < h; j++) {
                            sum += hidden[j] * u[j * width + column];
                        }
                        pre[gate] = sum;
                    }
                    double inputGate = sigmoid(pre[0]);
                    double forgetGate = sigmoid(pre[1]);
                    double candidate = Math.tanh(pre[2]);
                    double outputGate = sigmoid(pre[3]);
                    cell[unit] = forgetGate * cell[unit] + inputGate * candidate;
                    next[unit] = outputGate * Math.tanh(cell[unit]);
                }
                hidden = next;
                out[t] = next.clone();
            }
            return out;
        }

        private static double sigmoid(double x) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
    }
}
