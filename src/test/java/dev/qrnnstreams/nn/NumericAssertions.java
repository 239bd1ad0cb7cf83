package dev.qrnnstreams.nn;

import static org.assertj.core.api.Assertions.fail;

/**
 * Assertions for numeric arrays that check the shape first, then report the first differing index
 * with both values and the tolerance.
 *
 * <p>Closeness is normwise relative: {@code actual} is close to {@code expected} within {@code rtol}
 * when, for every index i,
 * <pre>
 *   |actual_i - expected_i| &lt;= rtol * max(max_j |expected_j|, TINY)
 * </pre>
 * i.e. every element's error is measured against the largest magnitude in the expected array (its
 * infinity norm), not against the element itself, so values near zero that arise by cancellation are
 * not held to an elementwise relative bound that float32 cannot meet. {@link #TINY}
 * ({@link Float#MIN_NORMAL}) keeps the bound meaningful when the expected array is all zeros: the
 * actual values must then be zero up to the smallest normal float. NaN in either array always fails.
 *
 * <p>The overloads with a {@code scale} widen the norm to {@code max(scale, max_j |expected_j|, TINY)}
 * for arrays that are one row of a longer computation (the final state of a recurrence), whose errors
 * are set by the magnitudes of the whole computation rather than by the row alone.
 */
public final class NumericAssertions {
    /** Floor of the scale a tolerance is relative to. */
    static final double TINY = Float.MIN_NORMAL;

    private NumericAssertions() {
    }

    /** Fails unless {@code actual} is normwise close to the float64 {@code expected}; see the class doc. */
    public static void assertClose(String what, float[] actual, double[] expected, double rtol) {
        assertClose(what, actual, expected, rtol, 0);
    }

    /** Fails unless {@code actual} is normwise close to the float32 {@code expected}; see the class doc. */
    public static void assertClose(String what, float[] actual, float[] expected, double rtol) {
        assertClose(what, actual, expected, rtol, 0);
    }

    /** Like {@link #assertClose(String, float[], float[], double)} with the norm widened to {@code scale}. */
    public static void assertClose(String what, float[] actual, float[] expected, double rtol, double scale) {
        requireSameLength(what, actual, expected == null ? -1 : expected.length);
        double[] widened = new double[expected.length];
        for (int i = 0; i < expected.length; i++) {
            widened[i] = expected[i];
        }
        assertClose(what, actual, widened, rtol, scale);
    }

    /** Like {@link #assertClose(String, float[], double[], double)} with the norm widened to {@code scale}. */
    public static void assertClose(String what, float[] actual, double[] expected, double rtol, double scale) {
        requireSameLength(what, actual, expected == null ? -1 : expected.length);
        double norm = Math.max(Math.max(scale, maxAbs(expected)), TINY);
        double bound = rtol * norm;
        for (int i = 0; i < expected.length; i++) {
            double difference = Math.abs(actual[i] - expected[i]);
            if (!(difference <= bound)) {
                fail("%s: first difference at index %d of %d: actual %s, expected %s, |difference| %s"
                                + " > tolerance %s (rtol %s times norm %s)",
                        what, i, expected.length, actual[i], expected[i], difference, bound, rtol, norm);
            }
        }
    }

    /**
     * Fails unless the row-major {@code actual} has the shape of {@code expected} (rows of equal width)
     * and is normwise close to it over all elements; the first difference is reported as (row, column).
     */
    public static void assertClose(String what, float[] actual, double[][] expected, double rtol) {
        int width = expected.length == 0 ? 0 : expected[0].length;
        for (int r = 0; r < expected.length; r++) {
            if (expected[r].length != width) {
                fail("%s: expected rows are ragged: row %d has %d values, row 0 has %d",
                        what, r, expected[r].length, width);
            }
        }
        if (actual == null || actual.length != expected.length * width) {
            fail("%s: shape differs: actual has %s, expected %d rows x %d columns",
                    what, actual == null ? "null" : actual.length + " values", expected.length, width);
        }
        double[] flat = new double[expected.length * width];
        for (int r = 0; r < expected.length; r++) {
            System.arraycopy(expected[r], 0, flat, r * width, width);
        }
        double norm = Math.max(maxAbs(flat), TINY);
        double bound = rtol * norm;
        for (int i = 0; i < flat.length; i++) {
            double difference = Math.abs(actual[i] - flat[i]);
            if (!(difference <= bound)) {
                fail("%s: first difference at row %d, column %d (index %d): actual %s, expected %s,"
                                + " |difference| %s > tolerance %s (rtol %s times norm %s)",
                        what, i / width, i % width, i, actual[i], flat[i], difference, bound, rtol, norm);
            }
        }
    }

    private static void requireSameLength(String what, float[] actual, int expected) {
        if (actual == null || expected < 0 || actual.length != expected) {
            fail("%s: length differs: actual %s, expected %s", what,
                    actual == null ? "null" : actual.length + " values", expected < 0 ? "null" : expected + " values");
        }
    }

    private static double maxAbs(double[] values) {
        double max = 0;
        for (double value : values) {
            max = Math.max(max, Math.abs(value));
        }
        return max;
    }
}
