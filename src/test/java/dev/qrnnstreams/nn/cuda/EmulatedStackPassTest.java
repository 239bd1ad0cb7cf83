package dev.qrnnstreams.nn.cuda;

import dev.qrnnstreams.nn.cpu.CpuBackend;
import dev.qrnnstreams.nn.NumericAssertions;
import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.QrnnBackend;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.nn.QrnnTestSupport;
import dev.qrnnstreams.nn.StepResult;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The CUDA backend's host side without a GPU: {@link BatchPlan}'s layouts and {@link StackPass}'s
 * operations, run on {@link JavaLayerKernels} (the kernels transcribed to Java), must give what the CPU
 * backend and the float64 reference give, for batches of keys at different positions with random splits.
 */
class EmulatedStackPassTest {

    @Test
    void shouldMatchFloat64AndCpuBackendWhenKeysAreBatchedWithRandomSplits() {
        Random random = new Random(20261126);
        try (QrnnBackend cpu = CpuBackend.vectorised()) {
            for (int trial = 0; trial < 150; trial++) {
                StreamingCases cases = StreamingCases.random(random, 5);
                cases.assertMatchesFloat64("emulated trial " + trial, new EmulatedCudaBackend());
                assertSameAsCpu("trial " + trial, cases, cpu);
            }
        }
    }

    @Test
    void shouldMatchFloat64AtRealisticSizeForEveryPoolingDenseOrNot() {
        Random random = new Random(7);
        for (Pooling pooling : Pooling.values()) {
            for (boolean dense : new boolean[] {false, true}) {
                QrnnStack stack = QrnnTestSupport.randomStack(QrnnStackSpec.builder()
                        .inputSize(64).hiddenSize(48).layers(3).window(2).pooling(pooling).dense(dense)
                        .zoneout(0.25).build(), random);
                StreamingCases.randomInputs(stack, 6, 24, random)
                        .assertMatchesFloat64("emulated " + pooling + " dense " + dense, new EmulatedCudaBackend());
            }
        }
    }

    private static void assertSameAsCpu(String what, StreamingCases cases, QrnnBackend cpu) {
        List<StepResult> emulated = cases.run(new EmulatedCudaBackend());
        List<StepResult> expected = cases.run(cpu);
        for (int key = 0; key < expected.size(); key++) {
            NumericAssertions.assertClose(what + " key " + key + ": outputs vs cpu-vector",
                    emulated.get(key).outputs(), expected.get(key).outputs(), StreamingCases.RTOL);
        }
    }
}
