package dev.qrnnstreams.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The pooled readout: its mean and maximum against a float64 reference, and its features after a stream
 * split into messages equal, to the bit, to those after one pass over the whole text.
 */
class ReadoutTest {
    private static final int WIDTH = 5;
    private static final int STEPS = 23;
    private final float[] outputs = QrnnTestSupport.randomInputs(STEPS, WIDTH, new Random(3));

    @Test
    void shouldReadTheLastOutputAndTheMeanAndMaximumOfAllOutputsSoFar() {
        for (int t = 1; t <= STEPS; t++) {
            float[] features = Readout.POOLED.features(outputs, t, WIDTH);
            assertThat(features).hasSize(3 * WIDTH);
            assertThat(Readout.LAST.features(outputs, t, WIDTH))
                    .containsExactly(Arrays.copyOfRange(outputs, (t - 1) * WIDTH, t * WIDTH));
            for (int u = 0; u < WIDTH; u++) {
                double sum = 0;
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s < t; s++) {
                    sum += outputs[s * WIDTH + u];
                    max = Math.max(max, outputs[s * WIDTH + u]);
                }
                assertThat(features[u]).isEqualTo(outputs[(t - 1) * WIDTH + u]);
                assertThat((double) features[WIDTH + u]).as("mean of unit %d after %d", u, t)
                        .isCloseTo(sum / t, within(1e-6));
                assertThat((double) features[2 * WIDTH + u]).isEqualTo(max);
            }
        }
    }

    @Test
    void shouldGiveTheSameFeaturesToTheBitForAnySplitOfTheStream() {
        QrnnState before = new QrnnState(List.of(LayerState.initial(new QrnnLayerSpec(WIDTH, WIDTH, 1,
                Pooling.F, 0, 0))), 0, Readout.POOLED.initialSummary(WIDTH));
        Random random = new Random(9);
        QrnnState state = before;
        for (int from = 0; from < STEPS; ) {
            int to = Math.min(STEPS, from + 1 + random.nextInt(5));
            float[] chunk = Arrays.copyOfRange(outputs, from * WIDTH, to * WIDTH);
            QrnnState after = new QrnnState(List.of(LayerState.of(Pooling.F, Arrays.copyOfRange(chunk,
                    chunk.length - WIDTH, chunk.length), null, new float[0])), to);
            state = Readout.POOLED.carry(state, after, chunk, to - from);
            from = to;
        }
        assertThat(Readout.POOLED.features(state)).containsExactly(Readout.POOLED.features(outputs, STEPS, WIDTH));
    }

    @Test
    void shouldReadZerosForMeanAndMaximumBeforeAnyToken() {
        QrnnState fresh = new QrnnState(List.of(LayerState.initial(new QrnnLayerSpec(WIDTH, WIDTH, 1, Pooling.F, 0,
                0))), 0, Readout.POOLED.initialSummary(WIDTH));
        assertThat(Readout.POOLED.features(fresh)).containsOnly(0f);
    }
}
