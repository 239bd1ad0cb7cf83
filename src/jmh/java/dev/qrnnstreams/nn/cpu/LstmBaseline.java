package dev.qrnnstreams.nn.cpu;

import dev.qrnnstreams.nn.kernel.Chunks;
import dev.qrnnstreams.nn.kernel.CoreSlices;
import dev.qrnnstreams.nn.kernel.Nd4jProjection;
import dev.qrnnstreams.nn.kernel.ProjectionKernel;
import dev.qrnnstreams.nn.kernel.VectorKernels;
import dev.qrnnstreams.nn.kernel.VectorProjection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The forward pass of an {@link LstmLayer} over a batch of sequences from the zero state, built from
 * the same kernels as the QRNN's {@link CpuBackend}, so that the speed comparison of Bradbury et al.
 * 2017 measures the architectures rather than their implementations.
 *
 * <p>The input product {@code x_t W} of every timestep of every sequence is one
 * {@link ProjectionKernel} call, as the QRNN's convolution is. What the QRNN does not have is the
 * recurrent product {@code h_{t-1} U}: it runs once per timestep over the sequences still active
 * (sequences are ordered by length, longest first, so those are the first rows), followed by the
 * vectorised gate activations and cell update. Each product goes to the Vector API kernel (split
 * across cores when large) below a threshold of rows and to {@code Nd4j.gemm} from it, the same
 * rule as {@link AdaptiveBackend#cpu()}.
 *
 * <p>Keeps growing scratch buffers: confined to one thread at a time. Close to free native memory.
 */
public final class LstmBaseline implements AutoCloseable {
    /**
     * Rows from which {@link #cpu()} computes a product with ND4J rather than the Vector API kernel:
     * the QRNN entry point's threshold, so that both architectures get the same kernels.
     */
    public static final int DEFAULT_THRESHOLD = AdaptiveBackend.DEFAULT_CPU_THRESHOLD;

    private static final int LANES = VectorKernels.SPECIES.length();

    private final int threshold;
    private final ProjectionKernel vector = new VectorProjection(new CoreSlices());
    private ProjectionKernel nd4j;
    private float[] packed = new float[0];
    private float[] gates = new float[0];
    private float[] recurrent = new float[0];

    private LstmBaseline(int threshold) {
        this.threshold = threshold;
    }

    /** Each product on the faster kernel for its number of rows, by {@link #DEFAULT_THRESHOLD}. */
    public static LstmBaseline cpu() {
        return new LstmBaseline(DEFAULT_THRESHOLD);
    }

    /** Every product on the Vector API kernel. */
    public static LstmBaseline vectorised() {
        return new LstmBaseline(Integer.MAX_VALUE);
    }

    /** Every product through {@code Nd4j.gemm}. */
    public static LstmBaseline nd4jGemm() {
        return new LstmBaseline(1);
    }

    /**
     * Runs each sequence from the zero state ({@code h_0 = c_0 = 0}).
     *
     * @param chunks one sequence per entry: {@code T_i x layer.inputSize()} row-major values, T_i >= 0
     * @return per sequence, in order, {@code h_1 .. h_T}: {@code T_i x layer.hiddenSize()} values
     * @throws IllegalArgumentException if a chunk does not hold whole timesteps
     */
    public List<float[]> run(LstmLayer layer, List<float[]> chunks) {
        int in = layer.inputSize();
        int h = layer.hiddenSize();
        int width = LstmLayer.GATES * h;
        int batch = chunks.size();
        int[] lengths = new int[batch];
        List<float[]> outputs = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            lengths[b] = Chunks.timesteps(chunks.get(b), in);
            outputs.add(new float[lengths[b] * h]);
        }
        int[] order = IntStream.range(0, batch).boxed()
                .sorted(Comparator.comparingInt((Integer b) -> lengths[b]).reversed())
                .mapToInt(Integer::intValue).toArray();
        int maxLength = batch == 0 ? 0 : lengths[order[0]];
        int[] active = new int[maxLength];
        int[] firstRow = new int[maxLength + 1];
        for (int t = 0; t < maxLength; t++) {
            while (active[t] < batch && lengths[order[active[t]]] > t) {
                active[t]++;
            }
            firstRow[t + 1] = firstRow[t] + active[t];
        }
        int rows = firstRow[maxLength];
        if (rows == 0) {
            return outputs;
        }
        gates = atLeast(gates, (long) rows * width);
        float[] inputs = batch == 1 ? chunks.get(0) : packTimeMajor(chunks, order, active, firstRow, in);
        kernel(rows).project(inputs, rows, layer.inputWeightMatrix(), gates);

        float[] hidden = new float[batch * h];
        float[] cell = new float[batch * h];
        recurrent = atLeast(recurrent, (long) batch * width);
        for (int t = 0; t < maxLength; t++) {
            int m = active[t];
            if (t > 0) {
                kernel(m).project(hidden, m, layer.recurrentWeightMatrix(), recurrent);
            }
            for (int r = 0; r < m; r++) {
                int row = (firstRow[t] + r) * width;
                if (t > 0) {
                    add(gates, row, recurrent, r * width, width);
                }
                activate(gates, row, layer.biasArray(), h);
                updateCell(gates, row, h, cell, hidden, r * h, outputs.get(order[r]), t * h);
            }
        }
        return outputs;
    }

    private ProjectionKernel kernel(int rows) {
        if (rows < threshold) {
            return vector;
        }
        if (nd4j == null) {
            nd4j = new Nd4jProjection();
        }
        return nd4j;
    }

    /** Row {@code firstRow[t] + r} holds timestep t of the r-th longest sequence. */
    private float[] packTimeMajor(List<float[]> chunks, int[] order, int[] active, int[] firstRow, int in) {
        packed = atLeast(packed, (long) firstRow[active.length] * in);
        for (int t = 0; t < active.length; t++) {
            for (int r = 0; r < active[t]; r++) {
                System.arraycopy(chunks.get(order[r]), t * in, packed, (firstRow[t] + r) * in, in);
            }
        }
        return packed;
    }

    private static void add(float[] x, int from, float[] y, int yFrom, int length) {
        int u = 0;
        for (; u + LANES <= length; u += LANES) {
            FloatVector.fromArray(VectorKernels.SPECIES, x, from + u)
                    .add(FloatVector.fromArray(VectorKernels.SPECIES, y, yFrom + u))
                    .intoArray(x, from + u);
        }
        for (; u < length; u++) {
            x[from + u] += y[yFrom + u];
        }
    }

    private static void activate(float[] pre, int row, float[] bias, int h) {
        VectorKernels.sigmoidWithBias(pre, row, bias, 0, 2 * h);
        VectorKernels.tanhWithBias(pre, row + LstmLayer.CANDIDATE * h, bias, LstmLayer.CANDIDATE * h, h);
        VectorKernels.sigmoidWithBias(pre, row + LstmLayer.OUTPUT * h, bias, LstmLayer.OUTPUT * h, h);
    }

    /** {@code c = f * c + i * g}, {@code h = o * tanh(c)} for one sequence, from its activated gate row. */
    private static void updateCell(float[] gates, int row, int h, float[] cell, float[] hidden, int state,
                                   float[] out, int outFrom) {
        int i = row + LstmLayer.INPUT * h;
        int f = row + LstmLayer.FORGET * h;
        int g = row + LstmLayer.CANDIDATE * h;
        int o = row + LstmLayer.OUTPUT * h;
        int u = 0;
        for (; u + LANES <= h; u += LANES) {
            FloatVector c = FloatVector.fromArray(VectorKernels.SPECIES, gates, f + u)
                    .mul(FloatVector.fromArray(VectorKernels.SPECIES, cell, state + u))
                    .add(FloatVector.fromArray(VectorKernels.SPECIES, gates, i + u)
                            .mul(FloatVector.fromArray(VectorKernels.SPECIES, gates, g + u)));
            c.intoArray(cell, state + u);
            FloatVector hv = c.lanewise(VectorOperators.TANH)
                    .mul(FloatVector.fromArray(VectorKernels.SPECIES, gates, o + u));
            hv.intoArray(hidden, state + u);
            hv.intoArray(out, outFrom + u);
        }
        for (; u < h; u++) {
            float c = gates[f + u] * cell[state + u] + gates[i + u] * gates[g + u];
            cell[state + u] = c;
            float hs = gates[o + u] * (float) Math.tanh(c);
            hidden[state + u] = hs;
            out[outFrom + u] = hs;
        }
    }

    private static float[] atLeast(float[] buffer, long length) {
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("batch of " + length + " values is too large for one pass");
        }
        return buffer.length >= length ? buffer : new float[(int) length];
    }

    @Override
    public void close() {
        vector.close();
        if (nd4j != null) {
            nd4j.close();
        }
    }
}
