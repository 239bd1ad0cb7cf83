package dev.qrnnstreams.nn.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrnnstreams.nn.cpu.CpuBackend;
import dev.qrnnstreams.nn.NumericAssertions;
import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.QrnnBackend;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.QrnnTestSupport;
import dev.qrnnstreams.nn.StepResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The core's streaming contract on the GPU: keys batched together, each fed in its own random split,
 * give the outputs and final states of the float64 reference for every pooling, window 1 to 4, dense or
 * not, with zoneout, as {@code IncrementalStepPropertyTest} checks for the CPU paths; and the backend's
 * buffers and weight cache keep that true as batches and stacks change.
 *
 * <p>Needs a CUDA device: skipped without one (see {@link CudaDevices}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CudaBackendDeviceTest {
    private CudaBackend cuda;

    @BeforeAll
    void openDevice() {
        cuda = CudaDevices.openOrSkip();
    }

    @AfterAll
    void closeDevice() {
        if (cuda != null) {
            cuda.close();
        }
    }

    @Test
    void shouldMatchFloat64AndCpuWhenKeysAreBatchedWithRandomSplits() {
        Random random = new Random(90);
        try (QrnnBackend cpu = CpuBackend.vectorised()) {
            for (int trial = 0; trial < 400; trial++) {
                StreamingCases cases = StreamingCases.random(random, 8);
                cases.assertMatchesFloat64(cuda.deviceDescription() + " trial " + trial, cuda);
                List<StepResult> gpu = cases.run(cuda);
                List<StepResult> expected = cases.run(cpu);
                for (int key = 0; key < expected.size(); key++) {
                    NumericAssertions.assertClose("trial " + trial + " key " + key + ": outputs vs cpu-vector",
                            gpu.get(key).outputs(), expected.get(key).outputs(), StreamingCases.RTOL);
                }
            }
        }
    }

    @Test
    void shouldMatchFloat64AtRealisticSizeForEveryPoolingDenseOrNot() {
        Random random = new Random(91);
        for (Pooling pooling : Pooling.values()) {
            for (boolean dense : new boolean[] {false, true}) {
                QrnnStack stack = QrnnTestSupport.randomStack(QrnnStackSpec.builder()
                        .inputSize(256).hiddenSize(256).layers(4).window(2).pooling(pooling).dense(dense)
                        .build(), random);
                StreamingCases.randomInputs(stack, 48, 64, random)
                        .assertMatchesFloat64(pooling + " dense " + dense, cuda);
            }
        }
    }

    @Test
    void shouldGiveAKeyTheSameResultAloneAsInALargeBatch() {
        Random random = new Random(92);
        QrnnStack stack = QrnnTestSupport.randomStack(QrnnStackSpec.builder().inputSize(32).hiddenSize(64)
                .layers(2).window(3).pooling(Pooling.IFO).dense(true).zoneout(0.25).build(), random);
        List<QrnnState> states = new ArrayList<>();
        List<float[]> chunks = new ArrayList<>();
        for (int key = 0; key < 1000; key++) {
            states.add(QrnnState.initial(stack));
            chunks.add(QrnnTestSupport.randomInputs(1 + random.nextInt(9), 32, random));
        }
        List<StepResult> batched = cuda.step(stack, states, chunks);

        for (int key : new int[] {0, 517, 999}) {
            StepResult alone = cuda.step(stack, states.get(key), chunks.get(key));
            NumericAssertions.assertClose("key " + key + " alone vs batched", alone.outputs(),
                    batched.get(key).outputs(), StreamingCases.RTOL);
        }
    }

    @Test
    void shouldReturnNothingForAnEmptyBatchAndKeepStatesForEmptyChunks() {
        QrnnStack stack = QrnnTestSupport.randomStack(QrnnStackSpec.builder().inputSize(4).hiddenSize(8)
                .layers(2).window(2).build(), new Random(93));
        assertThat(cuda.step(stack, List.of(), List.of())).isEmpty();

        StepResult first = cuda.step(stack, QrnnState.initial(stack), QrnnTestSupport.randomInputs(5, 4,
                new Random(94)));
        StepResult empty = cuda.step(stack, List.of(first.state()), List.of(new float[0])).get(0);

        assertThat(empty.timesteps()).isZero();
        assertThat(empty.state()).isEqualTo(first.state());
    }

    @Test
    void shouldStayExactWhenMoreStacksAreUsedThanItsWeightCacheHolds() {
        Random random = new Random(95);
        List<StreamingCases> cases = new ArrayList<>();
        for (int s = 0; s < CudaBackend.CACHED_STACKS + 2; s++) {
            QrnnStack stack = QrnnTestSupport.randomStack(QrnnStackSpec.builder().inputSize(8 + s)
                    .hiddenSize(16).layers(2).window(2).pooling(Pooling.FO).build(), random);
            cases.add(StreamingCases.randomInputs(stack, 4, 20, random));
        }
        for (int round = 0; round < 3; round++) {
            for (int s = 0; s < cases.size(); s++) {
                cases.get(s).assertMatchesFloat64("round " + round + " stack " + s, cuda);
            }
        }
    }

    @Test
    void shouldStayExactWhenCalledFromAnotherThread() throws Exception {
        StreamingCases cases = StreamingCases.random(new Random(97), 8);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            other.submit(() -> cases.assertMatchesFloat64("on another thread", cuda)).get();
        } finally {
            other.shutdown();
        }
    }

    @Test
    void shouldRefuseToStepOnceClosed() {
        CudaBackend other = CudaBackend.open();
        other.close();
        QrnnStack stack = QrnnTestSupport.randomStack(QrnnStackSpec.builder().inputSize(2).hiddenSize(2).build(),
                new Random(96));

        assertThatThrownBy(() -> other.step(stack, QrnnState.initial(stack), new float[2]))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
