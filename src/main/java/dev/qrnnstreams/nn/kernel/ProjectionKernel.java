package dev.qrnnstreams.nn.kernel;

/**
 * The dense part of a layer: multiplies rows (a QRNN's convolution windows, an LSTM's inputs) by a
 * weight matrix. The CPU backends differ only in this kernel.
 */
public interface ProjectionKernel extends AutoCloseable {

    /**
     * {@code out = rows x W} for {@code m} rows of {@code weights.rows()} values, writing
     * {@code m x weights.columns()} values to {@code out} from index 0.
     */
    void project(float[] rows, int m, WeightMatrix weights, float[] out);

    @Override
    void close();
}
