package dev.qrnnstreams.nn;

import dev.qrnnstreams.nn.cpu.CpuBackend;

import static dev.qrnnstreams.nn.NumericAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Builders and state comparisons shared by the numeric-core tests. */
public final class QrnnTestSupport {

    private QrnnTestSupport() {
    }

    /**
     * The two CPU paths over every core, and the Vector API path on one core and on four (as a stream thread's
     * share of the cores runs it), as {@code (name, factory)} arguments of a parameterised test.
     */
    static Stream<Arguments> cpuBackends() {
        return Stream.of(
                Arguments.of("cpu-vector", (Supplier<CpuBackend>) CpuBackend::vectorised),
                Arguments.of("cpu-vector on 1 core", (Supplier<CpuBackend>) () -> CpuBackend.vectorised(1)),
                Arguments.of("cpu-vector on 4 cores", (Supplier<CpuBackend>) () -> CpuBackend.vectorised(4)),
                Arguments.of("cpu-nd4j", (Supplier<CpuBackend>) CpuBackend::nd4jGemm));
    }

    /** A Glorot-uniform stack whose biases are also random, in [-1, 1), so that bias handling is exercised. */
    public static QrnnStack randomStack(QrnnStackSpec spec, Random random) {
        QrnnStack glorot = QrnnStack.glorotUniform(spec, random);
        List<QrnnLayer> layers = new ArrayList<>();
        for (QrnnLayer layer : glorot.layers()) {
            float[] bias = new float[layer.spec().convolutionColumns()];
            for (int i = 0; i < bias.length; i++) {
                bias[i] = (float) (2 * random.nextDouble() - 1);
            }
            layers.add(new QrnnLayer(layer.spec(), layer.packedWeights(), bias));
        }
        return new QrnnStack(spec, layers);
    }

    /** {@code steps x width} values uniform in [-1, 1), row-major. */
    public static float[] randomInputs(int steps, int width, Random random) {
        float[] values = new float[steps * width];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (2 * random.nextDouble() - 1);
        }
        return values;
    }

    /**
     * Feeds {@code sequence} to {@code backend} in chunks of the given timestep counts (which must sum to
     * the sequence length), each from the state the previous step returned, and returns the
     * concatenated outputs with the final state.
     */
    static StepResult runChunked(QrnnBackend backend, QrnnStack stack, float[] sequence, List<Integer> chunkLengths) {
        int width = stack.inputSize();
        QrnnState state = QrnnState.initial(stack);
        float[] outputs = new float[sequence.length / width * stack.outputSize()];
        int from = 0;
        for (int length : chunkLengths) {
            float[] chunk = Arrays.copyOfRange(sequence, from * width, (from + length) * width);
            StepResult result = backend.step(stack, state, chunk);
            assertThat(result.timesteps()).as("timesteps of a chunk").isEqualTo(length);
            assertThat(result.outputs()).as("outputs of a chunk").hasSize(length * stack.outputSize());
            System.arraycopy(result.outputs(), 0, outputs, from * stack.outputSize(), result.outputs().length);
            state = result.state();
            from += length;
        }
        assertThat(from * width).as("chunk lengths cover the sequence").isEqualTo(sequence.length);
        return new StepResult(outputs, from, state);
    }

    /** Splits {@code steps} timesteps into random chunks: mostly short, some of length 1, sometimes empty. */
    public static List<Integer> randomSplit(int steps, Random random) {
        List<Integer> lengths = new ArrayList<>();
        int left = steps;
        while (left > 0) {
            int length = switch (random.nextInt(5)) {
                case 0 -> 0;
                case 1 -> 1;
                default -> 1 + random.nextInt(Math.min(left, 24));
            };
            length = Math.min(length, left);
            lengths.add(length);
            left -= length;
        }
        return lengths;
    }

    /**
     * Every layer's cell, hidden and window, and the token count, compared normwise per array; the
     * norm of each array is widened to the magnitudes {@code reference} recorded for it over the whole
     * sequence (see {@link #assertStateClose(String, QrnnState, Float64Qrnn.Result, double)}).
     */
    static void assertStateClose(String what, QrnnState actual, QrnnState expected, Float64Qrnn.Result reference,
                                 double rtol) {
        assertThat(actual.tokensSeen()).as(what + ": tokensSeen").isEqualTo(expected.tokensSeen());
        assertThat(actual.layers()).as(what + ": layer count").hasSameSizeAs(expected.layers());
        for (int l = 0; l < expected.layers().size(); l++) {
            LayerState a = actual.layer(l);
            LayerState e = expected.layer(l);
            Float64Qrnn.LayerEnd scales = reference.layers().get(l);
            assertThat(a.sharesHiddenWithCell()).as(what + ": layer " + l + " hidden shares the cell")
                    .isEqualTo(e.sharesHiddenWithCell());
            assertClose(what + ": layer " + l + " cell", a.cell(), e.cell(), rtol, scales.cellScale());
            assertClose(what + ": layer " + l + " hidden", a.hidden(), e.hidden(), rtol, scales.hiddenScale());
            assertClose(what + ": layer " + l + " window", a.window(), e.window(), rtol, scales.inputScale());
        }
    }

    /**
     * Every layer's cell, hidden and window, and the token count, against the float64 reference.
     *
     * <p>The final state is the last row of a recurrence, so its rounding error is set by the
     * magnitudes the recurrence passed through, not by the last row alone: {@code c_T = f c_{T-1} + i z}
     * can cancel to a value far below the terms that formed it (seen with one hidden unit: c_T = 1.8e-3
     * from terms near 0.4, an absolute error of 3e-8, float32 rounding of the terms, but 1.6e-5 relative
     * to c_T). Each array is therefore compared normwise against the largest magnitude of that quantity
     * over the sequence, the same norm the per-timestep outputs are held to.
     */
    public static void assertStateClose(String what, QrnnState actual, Float64Qrnn.Result expected,
                                        double rtol) {
        assertThat(actual.tokensSeen()).as(what + ": tokensSeen").isEqualTo(expected.tokensSeen());
        assertThat(actual.layers()).as(what + ": layer count").hasSameSizeAs(expected.layers());
        for (int l = 0; l < expected.layers().size(); l++) {
            LayerState a = actual.layer(l);
            Float64Qrnn.LayerEnd e = expected.layers().get(l);
            assertClose(what + ": layer " + l + " cell", a.cell(), e.cell(), rtol, e.cellScale());
            assertClose(what + ": layer " + l + " hidden", a.hidden(), e.hidden(), rtol, e.hiddenScale());
            assertClose(what + ": layer " + l + " window", a.window(), e.window(), rtol, e.inputScale());
        }
    }
}
