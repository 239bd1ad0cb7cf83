package dev.qrnnstreams.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Metrics of a small 3-class confusion matrix against values worked out by hand. */
class ConfusionMatrixTest {
    /*
     * true a: 3 texts, predicted a, a, b
     * true b: 2 texts, predicted b, c
     * true c: 1 text,  predicted a
     * precision a = 2/3, b = 1/2, c = 0/1; recall a = 2/3, b = 1/2, c = 0
     * F1 a = 2/3, b = 1/2, c = 0; macro-F1 = (2/3 + 1/2 + 0) / 3 = 7/18; accuracy = 3/6
     */
    private static final ConfusionMatrix MATRIX = ConfusionMatrix.of(List.of("a", "b", "c"),
            new int[] {0, 0, 0, 1, 1, 2}, new int[] {0, 0, 1, 1, 2, 0});

    @Test
    void shouldCountPairsWithRowsTheTrueClass() {
        assertThat(MATRIX.counts()).isDeepEqualTo(new long[][] {{2, 1, 0}, {0, 1, 1}, {1, 0, 0}});
        assertThat(MATRIX.total()).isEqualTo(6);
    }

    @Test
    void shouldMatchHandComputedPrecisionRecallF1AndMacroF1() {
        assertThat(MATRIX.accuracy()).isCloseTo(0.5, within(1e-12));
        assertThat(MATRIX.precision(0)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(MATRIX.recall(0)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(MATRIX.precision(1)).isCloseTo(0.5, within(1e-12));
        assertThat(MATRIX.recall(1)).isCloseTo(0.5, within(1e-12));
        assertThat(MATRIX.precision(2)).isZero();
        assertThat(MATRIX.recall(2)).isZero();
        assertThat(MATRIX.f1(2)).isZero();
        assertThat(MATRIX.macroF1()).isCloseTo(7.0 / 18, within(1e-12));
    }

    @Test
    void shouldGiveZeroPrecisionForAClassNeverPredicted() {
        ConfusionMatrix matrix = ConfusionMatrix.of(List.of("x", "y"), new int[] {0, 1}, new int[] {0, 0});

        assertThat(matrix.precision(1)).isZero();
        assertThat(matrix.f1(0)).isCloseTo(2 * 0.5 * 1 / 1.5, within(1e-12));
    }

    @Test
    void shouldReportOneLinePerClassAndTheMatrix() {
        assertThat(MATRIX.report()).hasSize(1 + 3 + 2 + 3);
        assertThat(MATRIX.report().get(1)).startsWith("a").contains("0.6667");
        assertThat(MATRIX.report().get(8)).matches("c\\s+1\\s+0\\s+0");
    }
}
