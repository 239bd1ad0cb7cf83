package dev.qrnnstreams.nn.cuda;

import dev.qrnnstreams.nn.QrnnLayerSpec;
import dev.qrnnstreams.nn.QrnnStack;
import java.util.Arrays;

/**
 * {@link LayerKernels} in plain Java, each operation written line for line after its kernel in
 * {@code qrnn-kernels.cu} (and cuBLAS's column-major sgemm for {@link #project}), over arrays that stand
 * for the device buffers, with host staging kept apart from them.
 *
 * <p>It lets the host side of the CUDA backend ({@link BatchPlan}'s layouts, {@link StackPass}'s order of
 * operations, the arguments each launch gets) be checked against the CPU backend on a machine without a
 * GPU. Every buffer starts filled with NaN, so a value read before it was uploaded or written shows up
 * in the outputs.
 */
final class JavaLayerKernels implements LayerKernels {
    private final QrnnStack stack;
    private final float[][] activations = new float[2][];
    private float[] windows;
    private float[] gates;
    private float[] deviceState;
    private int[] deviceIndex;
    private float[] hostState;
    private float[] hostInput;
    private float[] hostOutput;

    JavaLayerKernels(QrnnStack stack) {
        this.stack = stack;
    }

    @Override
    public void reserve(BatchPlan plan) {
        int rows = plan.rows();
        activations[0] = nans(rows * plan.activationWidth());
        activations[1] = nans(rows * plan.activationWidth());
        windows = nans(rows * plan.windowWidth());
        gates = nans(rows * plan.gateWidth());
        deviceState = nans((int) plan.stateFloats());
        deviceIndex = new int[plan.indexInts()];
        Arrays.fill(deviceIndex, Integer.MIN_VALUE);
        hostState = nans((int) plan.stateFloats());
        hostInput = nans(rows * stack.inputSize());
        hostOutput = nans(rows * stack.outputSize());
    }

    @Override
    public BatchPlan.FloatSink stateStaging() {
        return (offset, values, from, length) -> System.arraycopy(values, from, hostState, (int) offset, length);
    }

    @Override
    public BatchPlan.FloatSink inputStaging() {
        return (offset, values, from, length) -> System.arraycopy(values, from, hostInput, (int) offset, length);
    }

    @Override
    public void upload(BatchPlan plan) {
        int[] index = plan.index();
        System.arraycopy(index, 0, deviceIndex, 0, index.length);
        System.arraycopy(hostState, 0, deviceState, 0, (int) plan.uploadedStateFloats());
        System.arraycopy(hostInput, 0, activations[0], 0, plan.rows() * stack.inputSize());
    }

    @Override
    public void layOutWindows(BatchPlan plan, int layer, int source) {
        QrnnLayerSpec spec = plan.spec(layer);
        float[] input = activations[source];
        int carried = (int) plan.carriedInOffset(layer);
        int inputSize = spec.inputSize();
        int window = spec.window();
        long width = (long) window * inputSize;
        long total = plan.rows() * width;
        for (long idx = 0; idx < total; idx++) {
            int row = (int) (idx / width);
            int column = (int) (idx - row * width);
            int tap = column / inputSize;
            int feature = column - tap * inputSize;
            int sequence = deviceIndex[plan.rowSequenceOffset() + row];
            int first = deviceIndex[plan.firstRowOffset() + sequence];
            int src = row - first - (window - 1) + tap;
            windows[(int) idx] = src < 0
                    ? deviceState[carried + (int) (((long) sequence * (window - 1) + src + window - 1) * inputSize
                            + feature)]
                    : input[(int) (((long) first + src) * inputSize + feature)];
        }
    }

    /** {@code C(m x n) = A(m x k) B(k x n)} column-major with A = W^T (lda = columns), B = windows^T. */
    @Override
    public void project(BatchPlan plan, int layer) {
        QrnnLayerSpec spec = plan.spec(layer);
        float[] weights = stack.layer(layer).packedWeights();
        int m = spec.convolutionColumns();
        int n = plan.rows();
        int k = spec.convolutionRows();
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    sum += weights[i + p * m] * windows[p + j * k];
                }
                gates[i + j * m] = sum;
            }
        }
    }

    @Override
    public void copyColumns(BatchPlan plan, int source, int sourceStride, int target, int targetStride, int width) {
        for (int r = 0; r < plan.rows(); r++) {
            System.arraycopy(activations[source], r * sourceStride, activations[target], r * targetStride, width);
        }
    }

    @Override
    public void pool(BatchPlan plan, int layer, int target, int offset, int stride) {
        QrnnLayerSpec spec = plan.spec(layer);
        float[] bias = stack.layer(layer).bias();
        int gateCount = spec.pooling().gateCount();
        int hidden = spec.hiddenSize();
        float zoneout = (float) spec.zoneout();
        int cell = (int) plan.cellOffset(layer);
        int hiddenState = (int) plan.hiddenOffset(layer);
        float[] out = activations[target];
        for (long idx = 0; idx < (long) plan.batch() * hidden; idx++) {
            int sequence = (int) (idx / hidden);
            int u = (int) (idx - (long) sequence * hidden);
            int columns = gateCount * hidden;
            float biasZ = bias[u];
            float biasF = bias[hidden + u];
            float biasO = gateCount >= 3 ? bias[2 * hidden + u] : 0f;
            float biasI = gateCount >= 4 ? bias[3 * hidden + u] : 0f;
            float keep = 1f - zoneout;
            float c = deviceState[cell + (int) idx];
            float h = deviceState[hiddenState + (int) idx];
            int first = deviceIndex[plan.firstRowOffset() + sequence];
            int length = deviceIndex[plan.lengthOffset() + sequence];
            for (int t = 0; t < length; t++) {
                long row = first + t;
                int pre = (int) (row * columns);
                float z = (float) Math.tanh(gates[pre + u] + biasZ);
                float f = sigmoid(gates[pre + hidden + u] + biasF);
                if (zoneout > 0f) {
                    f = Math.fma(f, keep, zoneout);
                }
                if (gateCount == 4) {
                    c = f * c + sigmoid(gates[pre + 3 * hidden + u] + biasI) * z;
                } else {
                    c = Math.fma(c, f, (1f - f) * z);
                }
                h = gateCount >= 3 ? sigmoid(gates[pre + 2 * hidden + u] + biasO) * c : c;
                out[(int) (row * stride + offset + u)] = h;
            }
            deviceState[cell + (int) idx] = c;
            deviceState[hiddenState + (int) idx] = h;
        }
    }

    @Override
    public void carry(BatchPlan plan, int layer, int source) {
        QrnnLayerSpec spec = plan.spec(layer);
        float[] input = activations[source];
        int carried = (int) plan.carriedInOffset(layer);
        int next = (int) plan.carriedOutOffset(layer);
        int inputSize = spec.inputSize();
        int keep = spec.window() - 1;
        long perSequence = (long) keep * inputSize;
        long total = plan.batch() * perSequence;
        for (long idx = 0; idx < total; idx++) {
            int sequence = (int) (idx / perSequence);
            int rest = (int) (idx - sequence * perSequence);
            int r = rest / inputSize;
            int feature = rest - r * inputSize;
            int src = deviceIndex[plan.lengthOffset() + sequence] + r;
            deviceState[next + (int) idx] = src < keep
                    ? deviceState[carried + (int) (((long) sequence * keep + src) * inputSize + feature)]
                    : input[(int) (((long) deviceIndex[plan.firstRowOffset() + sequence] + src - keep) * inputSize
                            + feature)];
        }
    }

    @Override
    public void download(BatchPlan plan, int source, int offset, int stride) {
        int from = (int) plan.downloadedStateFrom();
        System.arraycopy(deviceState, from, hostState, from, (int) plan.stateFloats() - from);
        int width = stack.outputSize();
        for (int r = 0; r < plan.rows(); r++) {
            System.arraycopy(activations[source], r * stride + offset, hostOutput, r * width, width);
        }
    }

    @Override
    public BatchPlan.FloatSource stateResult() {
        return (offset, values, from, length) -> System.arraycopy(hostState, (int) offset, values, from, length);
    }

    @Override
    public BatchPlan.FloatSource outputResult() {
        return (offset, values, from, length) -> System.arraycopy(hostOutput, (int) offset, values, from, length);
    }

    private static float sigmoid(float x) {
        return Math.fma((float) Math.tanh(0.5f * x), 0.5f, 0.5f);
    }

    private static float[] nans(int length) {
        float[] values = new float[length];
        Arrays.fill(values, Float.NaN);
        return values;
    }
}
