package dev.qrnnstreams.nn.cpu;

import dev.qrnnstreams.nn.LayerState;
import dev.qrnnstreams.nn.QrnnLayer;
import dev.qrnnstreams.nn.QrnnLayerSpec;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.StepResult;
import dev.qrnnstreams.nn.kernel.Chunks;
import dev.qrnnstreams.nn.kernel.CoreSlices;
import dev.qrnnstreams.nn.kernel.PoolingKernels;
import dev.qrnnstreams.nn.kernel.ProjectionKernel;
import dev.qrnnstreams.nn.kernel.VectorKernels;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The CPU forward pass of a QRNN stack over a batch of sequences, each resumed from its own state.
 *
 * <p>Per layer: the masked convolution becomes one matrix product by laying out, for every timestep
 * of every sequence, the window {@code [x_{t-k+1}; ...; x_t]} as one row (inputs before the chunk come
 * from the state's carried window); the {@link ProjectionKernel} multiplies all rows of the batch at
 * once; then {@link PoolingKernels} activate and pool each sequence from its carried memory, split
 * over hidden units across cores by {@link CoreSlices} when the batch is large.
 *
 * <p>Keeps growing scratch buffers: confined to one thread.
 */
final class CpuStackRunner implements AutoCloseable {
    /** Gate values one pooling slice must at least have before a second core is worth waking. */
    private static final long MIN_GATE_VALUES_PER_SLICE = 1L << 15;
    private static final int LANES = VectorKernels.SPECIES.length();

    private final ProjectionKernel projection;
    private final CoreSlices slices;
    private float[] windows = new float[0];
    private float[] gates = new float[0];

    /** A runner on {@code projection}, pooling on {@code slices}; closing it closes both. */
    CpuStackRunner(ProjectionKernel projection, CoreSlices slices) {
        this.projection = Objects.requireNonNull(projection, "projection");
        this.slices = Objects.requireNonNull(slices, "slices");
    }

    List<StepResult> run(QrnnStack stack, List<QrnnState> states, List<float[]> chunks) {
        if (states.size() != chunks.size()) {
            throw new IllegalArgumentException(states.size() + " states but " + chunks.size() + " chunks");
        }
        Rows rows = Rows.of(stack, states, chunks);
        int layers = stack.layers().size();
        float[][] inputs = chunks.toArray(new float[0][]);
        LayerState[][] next = new LayerState[layers][];
        for (int l = 0; l < layers; l++) {
            QrnnLayerSpec spec = stack.layer(l).spec();
            int layer = l;
            LayerState[] previous = states.stream().map(state -> state.layer(layer)).toArray(LayerState[]::new);
            next[l] = new LayerState[states.size()];
            float[][] outputs = runLayer(stack.layer(l), rows, previous, inputs, next[l]);
            for (int b = 0; b < inputs.length; b++) {
                inputs[b] = stack.spec().dense()
                        ? Chunks.concatenateRows(inputs[b], spec.inputSize(), outputs[b], spec.hiddenSize(),
                                rows.length(b))
                        : outputs[b];
            }
        }
        List<StepResult> results = new ArrayList<>(states.size());
        for (int b = 0; b < states.size(); b++) {
            float[] outputs = stack.spec().dense()
                    ? lastColumns(inputs[b], rows.length(b), stack.outputSize())
                    : inputs[b];
            List<LayerState> layerStates = new ArrayList<>(layers);
            for (LayerState[] layer : next) {
                layerStates.add(layer[b]);
            }
            QrnnState state = new QrnnState(layerStates, states.get(b).tokensSeen() + rows.length(b));
            results.add(new StepResult(outputs, rows.length(b), state));
        }
        return results;
    }

    /**
     * One layer over the whole batch: window layout, one projection, then activation and pooling per
     * sequence. Writes each sequence's new layer state to {@code next} and returns its outputs.
     */
    private float[][] runLayer(QrnnLayer layer, Rows rows, LayerState[] previous, float[][] inputs,
                               LayerState[] next) {
        QrnnLayerSpec spec = layer.spec();
        int batch = previous.length;
        ensureCapacity(rows.total(), spec);
        for (int b = 0; b < batch; b++) {
            Chunks.layOutWindows(spec, previous[b].windowArray(), inputs[b], rows.length(b), windows,
                    rows.first(b));
        }
        if (rows.total() > 0) {
            projection.project(windows, rows.total(), layer.weightMatrix(), gates);
        }
        float[][] cells = new float[batch][];
        float[][] hiddens = new float[batch][];
        float[][] outputs = new float[batch][];
        for (int b = 0; b < batch; b++) {
            cells[b] = previous[b].cellArray().clone();
            hiddens[b] = previous[b].sharesHiddenWithCell() ? cells[b] : previous[b].hiddenArray().clone();
            outputs[b] = new float[rows.length(b) * spec.hiddenSize()];
        }
        int poolingSlices = slices.slicesFor((long) rows.total() * spec.convolutionColumns(),
                MIN_GATE_VALUES_PER_SLICE, spec.hiddenSize(), LANES);
        slices.run(spec.hiddenSize(), LANES, poolingSlices, (from, to) -> {
            for (int b = 0; b < batch; b++) {
                PoolingKernels.activate(spec, gates, rows.first(b), rows.length(b), from, to, layer.biasArray());
                PoolingKernels.pool(spec, gates, rows.first(b), rows.length(b), from, to, cells[b], hiddens[b],
                        outputs[b], 0, spec.hiddenSize());
            }
        });
        for (int b = 0; b < batch; b++) {
            float[] carried = carriedWindow(spec, previous[b].windowArray(), inputs[b], rows.length(b));
            next[b] = new LayerState(cells[b], hiddens[b], carried);
        }
        return outputs;
    }

    /** Where each sequence's timesteps sit among the rows of the batch's window matrix. */
    private record Rows(int[] lengths, int[] firstRows, int total) {
        static Rows of(QrnnStack stack, List<QrnnState> states, List<float[]> chunks) {
            int[] lengths = new int[chunks.size()];
            int[] firstRows = new int[chunks.size()];
            int total = 0;
            for (int b = 0; b < chunks.size(); b++) {
                states.get(b).requireFits(stack);
                lengths[b] = Chunks.timesteps(chunks.get(b), stack.inputSize());
                firstRows[b] = total;
                total = Math.addExact(total, lengths[b]);
            }
            return new Rows(lengths, firstRows, total);
        }

        int length(int sequence) {
            return lengths[sequence];
        }

        int first(int sequence) {
            return firstRows[sequence];
        }
    }

    private void ensureCapacity(int rows, QrnnLayerSpec spec) {
        long windowFloats = (long) rows * spec.convolutionRows();
        long gateFloats = (long) rows * spec.convolutionColumns();
        if (windowFloats > Integer.MAX_VALUE - 8 || gateFloats > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("batch of " + rows + " timesteps is too large for one pass");
        }
        if (windows.length < windowFloats) {
            windows = new float[(int) windowFloats];
        }
        if (gates.length < gateFloats) {
            gates = new float[(int) gateFloats];
        }
    }

    /** The last {@code window - 1} inputs of the carried window followed by the chunk. */
    private static float[] carriedWindow(QrnnLayerSpec spec, float[] carried, float[] input, int length) {
        int in = spec.inputSize();
        int keep = spec.carriedInputs();
        float[] window = new float[keep * in];
        for (int r = 0; r < keep; r++) {
            int source = length + r;
            if (source < keep) {
                System.arraycopy(carried, source * in, window, r * in, in);
            } else {
                System.arraycopy(input, (source - keep) * in, window, r * in, in);
            }
        }
        return window;
    }

    private static float[] lastColumns(float[] matrix, int rows, int columns) {
        if (rows == 0) {
            return new float[0];
        }
        int width = matrix.length / rows;
        float[] out = new float[rows * columns];
        for (int t = 0; t < rows; t++) {
            System.arraycopy(matrix, t * width + width - columns, out, t * columns, columns);
        }
        return out;
    }

    @Override
    public void close() {
        slices.close();
        projection.close();
    }
}
