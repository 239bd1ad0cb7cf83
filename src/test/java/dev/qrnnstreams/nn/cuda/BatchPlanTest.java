package dev.qrnnstreams.nn.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrnnstreams.nn.LayerState;
import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.StepResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchPlanTest {
    private static final QrnnStack DENSE = QrnnStack.glorotUniform(QrnnStackSpec.builder().inputSize(3).hiddenSize(4)
            .layers(2).window(3).dense(true).pooling(0, Pooling.F).pooling(1, Pooling.IFO).build(), new Random(1));

    @Test
    void shouldNumberRowsSequenceAfterSequence() {
        BatchPlan plan = BatchPlan.of(DENSE, initial(3), List.of(new float[2 * 3], new float[0], new float[3]));

        assertThat(plan.rows()).isEqualTo(3);
        assertThat(plan.index()).containsExactly(0, 0, 2, /* first rows */ 0, 2, 2, /* lengths */ 2, 0, 1);
        assertThat(plan.firstRow(2)).isEqualTo(2);
    }

    @Test
    void shouldLayOutStateBlocksWithoutOverlapUploadingInputsAndDownloadingOutputs() {
        int batch = 5;
        BatchPlan plan = BatchPlan.of(DENSE, initial(batch), chunks(batch, 1));
        // layer 0: in 3, f-pooling (no hidden block); layer 1: in 3 + 4 = 7, ifo
        long carried0 = batch * 2 * 3;
        long carried1 = batch * 2 * 7;
        assertThat(plan.carriedInOffset(0)).isZero();
        assertThat(plan.carriedInOffset(1)).isEqualTo(carried0);
        assertThat(plan.cellOffset(0)).isEqualTo(carried0 + carried1).isEqualTo(plan.downloadedStateFrom());
        assertThat(plan.hiddenOffset(0)).as("f-pooling's hidden is its cell").isEqualTo(plan.cellOffset(0));
        assertThat(plan.cellOffset(1)).isEqualTo(plan.cellOffset(0) + batch * 4);
        assertThat(plan.hiddenOffset(1)).isEqualTo(plan.cellOffset(1) + batch * 4);
        assertThat(plan.carriedOutOffset(0)).isEqualTo(plan.hiddenOffset(1) + batch * 4)
                .isEqualTo(plan.uploadedStateFloats());
        assertThat(plan.carriedOutOffset(1)).isEqualTo(plan.carriedOutOffset(0) + carried0);
        assertThat(plan.stateFloats()).isEqualTo(plan.carriedOutOffset(1) + carried1);
    }

    @Test
    void shouldSizeBuffersForTheWidestLayer() {
        BatchPlan plan = BatchPlan.of(DENSE, initial(2), chunks(2, 4));

        assertThat(plan.outputStride(0)).isEqualTo(3 + 4);
        assertThat(plan.outputOffset(1)).isEqualTo(7);
        assertThat(plan.activationWidth()).isEqualTo(7 + 4);
        assertThat(plan.windowWidth()).isEqualTo(3 * 7);
        assertThat(plan.gateWidth()).isEqualTo(4 * 4);
    }

    @Test
    void shouldScatterWhatWasGatheredWhenCarriedWindowsAreCopiedThrough() {
        Random random = new Random(3);
        List<QrnnState> states = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            List<LayerState> layers = new ArrayList<>();
            for (int l = 0; l < 2; l++) {
                var spec = DENSE.layer(l).spec();
                layers.add(LayerState.of(spec.pooling(), values(spec.hiddenSize(), random),
                        values(spec.hiddenSize(), random), values(2 * spec.inputSize(), random)));
            }
            states.add(new QrnnState(layers, 10 + s));
        }
        List<float[]> chunks = chunks(3, 2);
        BatchPlan plan = BatchPlan.of(DENSE, states, chunks);
        float[] region = new float[(int) plan.stateFloats()];
        float[] input = new float[plan.rows() * 3];
        plan.gather(states, chunks, (o, v, f, n) -> System.arraycopy(v, f, region, (int) o, n),
                (o, v, f, n) -> System.arraycopy(v, f, input, (int) o, n));
        for (int l = 0; l < 2; l++) {
            System.arraycopy(region, (int) plan.carriedInOffset(l), region, (int) plan.carriedOutOffset(l),
                    3 * 2 * DENSE.layer(l).spec().inputSize());
        }
        float[] outputs = new float[plan.rows() * 4];
        List<StepResult> results = plan.scatter(states, (o, v, f, n) -> System.arraycopy(region, (int) o, v, f, n),
                (o, v, f, n) -> System.arraycopy(outputs, (int) o, v, f, n));

        for (int s = 0; s < 3; s++) {
            assertThat(results.get(s).state().layers()).isEqualTo(states.get(s).layers());
            assertThat(results.get(s).state().tokensSeen()).isEqualTo(10 + s + 2);
            assertThat(results.get(s).timesteps()).isEqualTo(2);
            float[] expectedInput = new float[2 * 3];
            System.arraycopy(input, plan.firstRow(s) * 3, expectedInput, 0, expectedInput.length);
            assertThat(expectedInput).containsExactly(chunks.get(s));
        }
    }

    @Test
    void shouldRejectMismatchedBatches() {
        assertThatThrownBy(() -> BatchPlan.of(DENSE, initial(2), chunks(1, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 states but 1 chunks");
        assertThatThrownBy(() -> BatchPlan.of(DENSE, initial(1), List.of(new float[4])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole");
        QrnnStack other = QrnnStack.glorotUniform(QrnnStackSpec.builder().inputSize(3).hiddenSize(5).build(),
                new Random(2));
        assertThatThrownBy(() -> BatchPlan.of(DENSE, List.of(QrnnState.initial(other)), chunks(1, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit");
    }

    private static List<QrnnState> initial(int batch) {
        List<QrnnState> states = new ArrayList<>();
        for (int s = 0; s < batch; s++) {
            states.add(QrnnState.initial(DENSE));
        }
        return states;
    }

    private static List<float[]> chunks(int batch, int steps) {
        Random random = new Random(batch * 31L + steps);
        List<float[]> chunks = new ArrayList<>();
        for (int s = 0; s < batch; s++) {
            chunks.add(values(steps * 3, random));
        }
        return chunks;
    }

    private static float[] values(int length, Random random) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = random.nextFloat();
        }
        return values;
    }
}
