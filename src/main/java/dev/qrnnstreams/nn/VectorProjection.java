package dev.qrnnstreams.nn;

/** The projection on the Vector API kernel: pure Java, no native call, best for a few rows. */
final class VectorProjection implements ProjectionKernel {

    @Override
    public void project(float[] rows, int m, WeightMatrix weights, float[] out) {
        VectorKernels.matmul(rows, m, weights, out);
    }

    @Override
    public void close() {
    }
}
