package dev.qrnnstreams.nn;

import static dev.qrnnstreams.nn.NumericAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Guards the guard: {@link NumericAssertions} accepts errors within the normwise relative tolerance,
 * and otherwise fails on the shape first and then on the first differing index, naming both values
 * and the tolerance.
 */
class NumericAssertionsTest {

    @Test
    void shouldPassWhenEveryErrorIsWithinRtolTimesTheLargestExpectedMagnitude() {
        assertThatCode(() -> assertClose("v", new float[] {2f, 1e-3f}, new double[] {2.0, 1.01e-3}, 1e-5))
                .doesNotThrowAnyException();
        assertThatCode(() -> assertClose("v", new float[] {1f, -3f}, new float[] {1f, -3f}, 0))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldReportFirstDifferingIndexWithBothValuesAndTolerance() {
        assertThatThrownBy(() -> assertClose("outputs", new float[] {1f, 2.5f, 9f}, new double[] {1.0, 2.0, 3.0}, 1e-3))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("outputs")
                .hasMessageContaining("index 1")
                .hasMessageContaining("actual 2.5")
                .hasMessageContaining("expected 2.0")
                .hasMessageContaining("tolerance 0.003");
    }

    @Test
    void shouldFailOnLengthBeforeValuesWhenShapesDiffer() {
        assertThatThrownBy(() -> assertClose("v", new float[] {1f}, new double[] {1.0, 2.0}, 1.0))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("length differs: actual 1 values, expected 2 values");
        assertThatThrownBy(() -> assertClose("v", null, new float[0], 1.0))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("length differs");
    }

    @Test
    void shouldFailWhenAValueIsNaN() {
        assertThatThrownBy(() -> assertClose("v", new float[] {Float.NaN}, new double[] {1.0}, 1.0))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertClose("v", new float[] {1f}, new double[] {Double.NaN}, 1.0))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void shouldRequireZerosWhenExpectedIsAllZero() {
        assertThatThrownBy(() -> assertClose("v", new float[] {0f, 1e-30f}, new double[] {0.0, 0.0}, 1e-5))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("index 1");
    }

    @Test
    void shouldMeasureAgainstScaleWhenScaleIsLargerThanTheValues() {
        float[] actual = {1.001e-3f};
        double[] expected = {1.0e-3};

        assertThatThrownBy(() -> assertClose("v", actual, expected, 1e-5)).isInstanceOf(AssertionError.class);
        assertThatCode(() -> assertClose("v", actual, expected, 1e-5, 1.0)).doesNotThrowAnyException();
    }

    @Test
    void shouldReportRowAndColumnWhenComparingAgainstRows() {
        double[][] expected = {{1.0, 2.0}, {3.0, 4.0}};

        assertThatCode(() -> assertClose("rows", new float[] {1f, 2f, 3f, 4f}, expected, 0))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> assertClose("rows", new float[] {1f, 2f, 3f, 5f}, expected, 1e-3))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("row 1, column 1");
        assertThatThrownBy(() -> assertClose("rows", new float[] {1f, 2f, 3f}, expected, 1.0))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("2 rows x 2 columns");
    }
}
