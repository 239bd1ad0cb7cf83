package dev.qrnnstreams.nn;

/**
 * The dense part of a QRNN layer: multiplies convolution windows by the layer's packed weight. The
 * CPU backends differ only in this kernel.
 */
interface ProjectionKernel extends AutoCloseable {

    /**
     * {@code out = rows x W} for {@code m} rows of {@code spec.convolutionRows()} values, writing
     * {@code m x spec.convolutionColumns()} values to {@code out} from index 0. The bias is not added.
     */
    void project(float[] rows, int m, QrnnLayer layer, float[] out);

    @Override
    void close();
}
