package dev.qrnnstreams.nn.kernel;

import java.util.Objects;

/**
 * A {@code rows x columns} weight matrix kept in two layouts, both made once at load: row-major (for
 * native gemm and for saving), and in column panels for {@link VectorKernels#matmul}.
 *
 * <p>Panel layout: the columns are cut into panels {@link VectorKernels#PANEL} wide; panel s holds
 * columns {@code [s * PANEL, (s + 1) * PANEL)} of every row, row after row, so a product streams the
 * weights front to back, which hardware prefetchers serve best. Columns left over after the last full
 * panel follow as one row-major block of their own width.
 *
 * <p>Immutable; the arrays are never exposed outside the package.
 */
public final class WeightMatrix {
    private final int rows;
    private final int columns;
    private final float[] rowMajor;
    private final float[] panels;

    /** Copies and packs a row-major matrix. */
    public WeightMatrix(int rows, int columns, float[] rowMajor) {
        Objects.requireNonNull(rowMajor, "weights");
        if (rowMajor.length != (long) rows * columns) {
            throw new IllegalArgumentException("weights must have " + (long) rows * columns + " entries, has "
                    + rowMajor.length);
        }
        this.rows = rows;
        this.columns = columns;
        this.rowMajor = rowMajor.clone();
        this.panels = pack(rowMajor, rows, columns);
    }

    private static float[] pack(float[] rowMajor, int rows, int columns) {
        int panel = VectorKernels.PANEL;
        int full = fullPanelColumns(columns);
        int rest = columns - full;
        float[] packed = new float[rowMajor.length];
        for (int p = 0; p < rows; p++) {
            for (int j = 0; j < full; j += panel) {
                System.arraycopy(rowMajor, p * columns + j, packed, j * rows + p * panel, panel);
            }
            System.arraycopy(rowMajor, p * columns + full, packed, full * rows + p * rest, rest);
        }
        return packed;
    }

    /** Columns covered by full panels. */
    public static int fullPanelColumns(int columns) {
        return columns / VectorKernels.PANEL * VectorKernels.PANEL;
    }

    /** Rows of the matrix (its input width). */
    public int rows() {
        return rows;
    }

    /** Columns of the matrix (its output width). */
    public int columns() {
        return columns;
    }

    /** The row-major values; callers must not modify them. */
    public float[] rowMajor() {
        return rowMajor;
    }

    /** The panel-packed values; callers must not modify them. */
    public float[] panels() {
        return panels;
    }
}
