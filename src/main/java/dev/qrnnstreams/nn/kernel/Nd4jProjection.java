package dev.qrnnstreams.nn.kernel;

import java.util.Map;
import java.util.WeakHashMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The projection as one {@code Nd4j.gemm} (OpenBLAS sgemm on the CPU build) per layer and batch.
 *
 * <p>Weights are copied to native memory once per layer; the operands live in native buffers that
 * grow to the largest batch seen and are reused, so a call costs two bulk copies and the gemm.
 */
public final class Nd4jProjection implements ProjectionKernel {
    private final Map<WeightMatrix, INDArray> uploaded = new WeakHashMap<>();
    private INDArray rowsBuffer = Nd4j.create(DataType.FLOAT, 1);
    private INDArray outBuffer = Nd4j.create(DataType.FLOAT, 1);

    @Override
    public void project(float[] rows, int m, WeightMatrix weights, float[] out) {
        int k = weights.rows();
        int n = weights.columns();
        INDArray w = uploaded.computeIfAbsent(weights, v -> Nd4j.create(v.rowMajor(), new long[] {k, n}, 'c'));
        rowsBuffer = atLeast(rowsBuffer, (long) m * k);
        outBuffer = atLeast(outBuffer, (long) m * n);
        rowsBuffer.data().asNioFloat().put(rows, 0, m * k);
        INDArray a = Nd4j.create(rowsBuffer.data(), new long[] {m, k}, new long[] {k, 1}, 0, 'c');
        INDArray c = Nd4j.create(outBuffer.data(), new long[] {m, n}, new long[] {n, 1}, 0, 'c');
        Nd4j.gemm(a, w, c, false, false, 1.0, 0.0);
        outBuffer.data().asNioFloat().get(out, 0, m * n);
    }

    private static INDArray atLeast(INDArray buffer, long length) {
        if (buffer.length() >= length) {
            return buffer;
        }
        buffer.close();
        return Nd4j.create(DataType.FLOAT, Math.max(length, buffer.length() * 3 / 2));
    }

    @Override
    public void close() {
        rowsBuffer.close();
        outBuffer.close();
        uploaded.values().forEach(INDArray::close);
        uploaded.clear();
    }
}
