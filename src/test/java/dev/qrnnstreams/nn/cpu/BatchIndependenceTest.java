package dev.qrnnstreams.nn.cpu;

import dev.qrnnstreams.nn.Float64Qrnn;
import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.QrnnBackend;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.QrnnTestSupport;
import dev.qrnnstreams.nn.StepResult;

import static dev.qrnnstreams.nn.NumericAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guards the batching contract of {@link QrnnBackend}: sequences stepped together, each from its own
 * state and with its own chunk length (including empty chunks), get the results they would get stepped
 * one at a time, on both CPU paths, for small batches and for one large enough to be split across
 * threads.
 *
 * <p>Tolerance {@value #RTOL} normwise relative: the ND4J path's sgemm blocks rows differently for
 * different batch heights, so its results move by float32 rounding (observed: a few ulps); the Vector
 * API path computes each row with the same operation order and is in fact bitwise equal. An empty
 * chunk must leave its state exactly as it was.
 */
class BatchIndependenceTest {
    private static final double RTOL = 1e-5;
    private static final int[] LENGTHS = {7, 0, 1, 12, 3, 0, 30};

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.qrnnstreams.nn.QrnnTestSupport#cpuBackends")
    void shouldEqualSteppingEachSequenceAloneWhenBatched(String name, Supplier<CpuBackend> factory) {
        for (Pooling pooling : Pooling.values()) {
            QrnnStack stack = QrnnTestSupport.randomStack(QrnnStackSpec.builder()
                    .inputSize(5).hiddenSize(19).layers(3).window(3).pooling(pooling).dense(true).zoneout(0.1)
                    .build(), new Random(pooling.ordinal()));
            try (QrnnBackend batched = factory.get(); QrnnBackend alone = factory.get()) {
                Random random = new Random(99);
                List<QrnnState> states = new ArrayList<>();
                List<float[]> chunks = new ArrayList<>();
                for (int length : LENGTHS) {
                    float[] prefix = QrnnTestSupport.randomInputs(random.nextInt(4), stack.inputSize(), random);
                    states.add(alone.step(stack, QrnnState.initial(stack), prefix).state());
                    chunks.add(QrnnTestSupport.randomInputs(length, stack.inputSize(), random));
                }

                List<StepResult> together = batched.step(stack, states, chunks);

                assertThat(together).hasSize(LENGTHS.length);
                for (int b = 0; b < LENGTHS.length; b++) {
                    StepResult single = alone.step(stack, states.get(b), chunks.get(b));
                    String what = name + " " + pooling + " sequence " + b;
                    assertThat(together.get(b).timesteps()).as(what + " timesteps").isEqualTo(LENGTHS[b]);
                    assertClose(what + " outputs", together.get(b).outputs(), single.outputs(), RTOL);
                    assertStateClose(what, together.get(b).state(), single.state());
                }
            }
        }
    }

    /**
     * A batch as large as a busy partition sends (120 timesteps of a 256-unit ifo layer pair, with empty
     * and one-step sequences among long ones), which is where a backend may split work across threads;
     * each sequence must still match stepping it alone and the float64 reference.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.qrnnstreams.nn.QrnnTestSupport#cpuBackends")
    void shouldEqualSteppingEachSequenceAloneAndFloat64WhenBatchIsLarge(String name, Supplier<CpuBackend> factory) {
        int[] lengths = {0, 1, 17, 64, 33, 5};
        QrnnStack stack = QrnnTestSupport.randomStack(QrnnStackSpec.builder()
                .inputSize(48).hiddenSize(256).layers(2).window(2).pooling(Pooling.IFO).build(), new Random(17));
        Random random = new Random(18);
        List<QrnnState> states = new ArrayList<>();
        List<float[]> chunks = new ArrayList<>();
        for (int length : lengths) {
            states.add(QrnnState.initial(stack));
            chunks.add(QrnnTestSupport.randomInputs(length, stack.inputSize(), random));
        }
        try (QrnnBackend batched = factory.get(); QrnnBackend alone = factory.get()) {
            List<StepResult> together = batched.step(stack, states, chunks);

            for (int b = 0; b < lengths.length; b++) {
                String what = name + " sequence " + b + " of length " + lengths[b];
                StepResult single = alone.step(stack, states.get(b), chunks.get(b));
                Float64Qrnn.Result reference =
                        Float64Qrnn.run(stack, Float64Qrnn.rows(chunks.get(b), stack.inputSize()));
                assertClose(what + " outputs vs alone", together.get(b).outputs(), single.outputs(), RTOL);
                assertStateClose(what, together.get(b).state(), single.state());
                assertClose(what + " outputs vs float64", together.get(b).outputs(), reference.outputs(), RTOL);
                QrnnTestSupport.assertStateClose(what + " state vs float64", together.get(b).state(), reference, RTOL);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.qrnnstreams.nn.QrnnTestSupport#cpuBackends")
    void shouldLeaveStateUnchangedWhenChunkIsEmpty(String name, Supplier<CpuBackend> factory) {
        QrnnStack stack = QrnnTestSupport.randomStack(QrnnStackSpec.builder()
                .inputSize(4).hiddenSize(9).layers(2).window(4).pooling(Pooling.IFO).build(), new Random(5));
        try (QrnnBackend backend = factory.get()) {
            QrnnState started = backend.step(stack, QrnnState.initial(stack),
                    QrnnTestSupport.randomInputs(6, 4, new Random(6))).state();

            List<StepResult> results =
                    backend.step(stack, List.of(started, started), List.of(new float[0], new float[0]));

            for (StepResult result : results) {
                assertThat(result.timesteps()).as(name).isZero();
                assertThat(result.outputs()).as(name).isEmpty();
                assertThat(result.state()).as(name).isEqualTo(started);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.qrnnstreams.nn.QrnnTestSupport#cpuBackends")
    void shouldReturnNoResultsWhenBatchIsEmpty(String name, Supplier<CpuBackend> factory) {
        QrnnStack stack = QrnnStack.glorotUniform(
                QrnnStackSpec.builder().inputSize(3).hiddenSize(2).build(), new Random(1));
        try (QrnnBackend backend = factory.get()) {
            assertThat(backend.step(stack, List.of(), List.of())).as(name).isEmpty();
        }
    }

    private static void assertStateClose(String what, QrnnState actual, QrnnState expected) {
        assertThat(actual.tokensSeen()).as(what + " tokensSeen").isEqualTo(expected.tokensSeen());
        for (int l = 0; l < expected.layers().size(); l++) {
            assertClose(what + " layer " + l + " cell", actual.layer(l).cell(), expected.layer(l).cell(), RTOL);
            assertClose(what + " layer " + l + " hidden", actual.layer(l).hidden(), expected.layer(l).hidden(), RTOL);
            assertClose(what + " layer " + l + " window", actual.layer(l).window(), expected.layer(l).window(), RTOL);
        }
    }
}
