package dev.qrnnstreams.nn.cpu;

import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.QrnnBackend;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.QrnnTestSupport;
import dev.qrnnstreams.nn.StepResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guards the argument checks of {@link QrnnBackend#step}: a state that does not fit the stack, a chunk
 * that does not hold whole timesteps, and state and chunk lists of different sizes are rejected with
 * {@link IllegalArgumentException} by every CPU entry point, and a rejected call leaves the backend
 * usable.
 */
class BackendValidationTest {
    private static final QrnnStackSpec SPEC = QrnnStackSpec.builder()
            .inputSize(3).hiddenSize(4).layers(2).window(2).pooling(Pooling.FO).build();
    private static final QrnnStack STACK = QrnnStack.glorotUniform(SPEC, new Random(1));

    static Stream<Arguments> backends() {
        return Stream.of(
                Arguments.of("cpu-vector", (Supplier<QrnnBackend>) CpuBackend::vectorised),
                Arguments.of("cpu-nd4j", (Supplier<QrnnBackend>) CpuBackend::nd4jGemm),
                Arguments.of("adaptive", (Supplier<QrnnBackend>) AdaptiveBackend::cpu));
    }

    static Stream<Arguments> misfits() {
        return Stream.of(
                Arguments.of("other hidden size", QrnnState.initial(stackOf(SPEC.inputSize(), 5, 2, 2, Pooling.FO))),
                Arguments.of("other layer count", QrnnState.initial(stackOf(SPEC.inputSize(), 4, 3, 2, Pooling.FO))),
                Arguments.of("other window", QrnnState.initial(stackOf(SPEC.inputSize(), 4, 2, 3, Pooling.FO))),
                Arguments.of("other input size", QrnnState.initial(stackOf(2, 4, 2, 2, Pooling.FO))),
                Arguments.of("f-pooling state, hidden shared with cell",
                        QrnnState.initial(stackOf(SPEC.inputSize(), 4, 2, 2, Pooling.F))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void shouldRejectStateWhenItDoesNotFitTheStack(String name, Supplier<QrnnBackend> factory) {
        try (QrnnBackend backend = factory.get()) {
            misfits().forEach(misfit -> {
                QrnnState state = (QrnnState) misfit.get()[1];
                assertThatThrownBy(() -> backend.step(STACK, state, new float[6]))
                        .as(name + ": " + misfit.get()[0])
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("does not fit");
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void shouldRejectStateWhenOnlyOneSequenceOfTheBatchDoesNotFit(String name, Supplier<QrnnBackend> factory) {
        QrnnState misfit = QrnnState.initial(stackOf(SPEC.inputSize(), 5, 2, 2, Pooling.FO));
        try (QrnnBackend backend = factory.get()) {
            assertThatThrownBy(() -> backend.step(STACK, List.of(QrnnState.initial(STACK), misfit),
                    List.of(new float[3], new float[3])))
                    .as(name)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void shouldRejectChunkWhenItDoesNotHoldWholeTimesteps(String name, Supplier<QrnnBackend> factory) {
        try (QrnnBackend backend = factory.get()) {
            for (int length : new int[] {1, 2, 4, 7}) {
                assertThatThrownBy(() -> backend.step(STACK, QrnnState.initial(STACK), new float[length]))
                        .as(name + ": chunk of " + length + " values")
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("whole");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void shouldRejectBatchWhenStateAndChunkListsDifferInSize(String name, Supplier<QrnnBackend> factory) {
        QrnnState initial = QrnnState.initial(STACK);
        try (QrnnBackend backend = factory.get()) {
            assertThatThrownBy(() -> backend.step(STACK, List.of(initial, initial), List.of(new float[3])))
                    .as(name).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> backend.step(STACK, List.of(initial), List.of(new float[3], new float[6])))
                    .as(name).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> backend.step(STACK, List.of(), List.of(new float[3])))
                    .as(name).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void shouldStayUsableWhenACallWasRejected(String name, Supplier<QrnnBackend> factory) {
        float[] chunk = QrnnTestSupport.randomInputs(5, SPEC.inputSize(), new Random(2));
        try (QrnnBackend fresh = factory.get(); QrnnBackend backend = factory.get()) {
            StepResult expected = fresh.step(STACK, QrnnState.initial(STACK), chunk);
            assertThatThrownBy(() -> backend.step(STACK, QrnnState.initial(STACK), new float[7]))
                    .isInstanceOf(IllegalArgumentException.class);

            StepResult after = backend.step(STACK, QrnnState.initial(STACK), chunk);

            assertThat(after.outputs()).as(name).containsExactly(expected.outputs());
            assertThat(after.state()).as(name).isEqualTo(expected.state());
        }
    }

    @Test
    void shouldRejectAdaptiveThresholdBelowOne() {
        try (CpuBackend small = CpuBackend.vectorised(); CpuBackend large = CpuBackend.vectorised()) {
            assertThatThrownBy(() -> new AdaptiveBackend(small, large, 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("threshold");
        }
    }

    private static QrnnStack stackOf(int inputSize, int hiddenSize, int layers, int window, Pooling pooling) {
        return QrnnStack.glorotUniform(QrnnStackSpec.builder().inputSize(inputSize).hiddenSize(hiddenSize)
                .layers(layers).window(window).pooling(pooling).build(), new Random(3));
    }
}
