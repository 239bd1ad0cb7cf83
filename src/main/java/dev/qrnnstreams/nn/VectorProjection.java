package dev.qrnnstreams.nn;

/** The projection on the Vector API kernel: pure Java, no native call, best for a few rows. */
final class VectorProjection implements ProjectionKernel {

    @Override
    public void project(float[] rows, int m, QrnnLayer layer, float[] out) {
        QrnnLayerSpec spec = layer.spec();
        VectorKernels.matmul(rows, m, spec.convolutionRows(), layer.weightsArray(), spec.convolutionColumns(), out);
    }

    @Override
    public void close() {
    }
}
