package dev.qrnnstreams.nn.kernel;

import java.util.Objects;

/**
 * The projection on the Vector API kernel: pure Java, no native call. A product of enough rows is
 * split by weight panels across the cores; a few rows stay on the calling thread, where a hand-off
 * would cost more than it saves.
 */
public final class VectorProjection implements ProjectionKernel {
    /** Multiply-adds one core must at least get before a second core is woken: about 20 rows at d = 256. */
    public static final long MIN_MACS_PER_SLICE = 1L << 22;

    private final CoreSlices slices;

    /** A projection splitting large products over {@code slices}, which it closes. */
    public VectorProjection(CoreSlices slices) {
        this.slices = Objects.requireNonNull(slices, "slices");
    }

    @Override
    public void project(float[] rows, int m, WeightMatrix weights, float[] out) {
        long macs = (long) m * weights.rows() * weights.columns();
        int count = slices.slicesFor(macs, MIN_MACS_PER_SLICE, weights.columns(), VectorKernels.PANEL);
        slices.run(weights.columns(), VectorKernels.PANEL, count,
                (from, to) -> VectorKernels.matmul(rows, m, weights, out, from, to));
    }

    @Override
    public void close() {
        slices.close();
    }
}
