package dev.qrnnstreams.nn.cpu;

import dev.qrnnstreams.nn.NumericAssertions;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.nn.QrnnState;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Guards the entry point's routing rule: by the total number of timesteps in a batch. */
class AdaptiveBackendTest {
    private final QrnnStack stack = QrnnStack.glorotUniform(
            QrnnStackSpec.builder().inputSize(3).hiddenSize(4).build(), new Random(1));

    @Test
    void shouldSendBatchesBelowTheThresholdToTheSmallBackendAndTheRestToTheLargeOne() {
        CpuBackend small = CpuBackend.vectorised();
        CpuBackend large = CpuBackend.nd4jGemm();
        try (AdaptiveBackend adaptive = new AdaptiveBackend(small, large, 5)) {
            assertThat(adaptive.choose(stack, List.of(new float[3 * 2], new float[3 * 2]))).isSameAs(small);
            assertThat(adaptive.choose(stack, List.of(new float[3 * 2], new float[3 * 3]))).isSameAs(large);
            assertThat(adaptive.choose(stack, List.of())).isSameAs(small);
        }
    }

    @Test
    void shouldReturnTheSameResultsWhicheverBackendItChooses() {
        float[] chunk = new float[3 * 6];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (float) Math.sin(i);
        }
        try (AdaptiveBackend low = new AdaptiveBackend(CpuBackend.vectorised(), CpuBackend.nd4jGemm(), 1);
             AdaptiveBackend high = new AdaptiveBackend(CpuBackend.vectorised(), CpuBackend.nd4jGemm(), 100)) {
            float[] viaNd4j = low.step(stack, QrnnState.initial(stack), chunk).outputs();
            float[] viaVector = high.step(stack, QrnnState.initial(stack), chunk).outputs();
            NumericAssertions.assertClose("nd4j vs vector path", viaNd4j, viaVector, 1e-5);
        }
    }
}
