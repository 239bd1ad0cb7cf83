package dev.qrnnstreams.nn.cuda;

import dev.qrnnstreams.nn.LayerState;
import dev.qrnnstreams.nn.QrnnLayerSpec;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.StepResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where one batch's data sits in the device's flat buffers: plain Java, so that the layout can be checked
 * without a GPU.
 *
 * <p>Rows: timestep t of sequence s is row {@code firstRow(s) + t} of every row-major matrix of the pass
 * (layer inputs, convolution windows, gate pre-activations, outputs), sequences one after another.
 *
 * <p>States: all layers' per-key states are gathered into one float region, so that a batch needs one
 * upload and one download of state, laid out as
 * <pre>
 *   [carried inputs in: layer 0 .. L-1 | cell, hidden: layer 0 .. L-1 | carried inputs out: layer 0 .. L-1]
 *    \______________________ uploaded _______________________/
 *                                      \____________________ downloaded ___________________/
 * </pre>
 * where each block holds every sequence's values one after another ({@code batch x hiddenSize} for cell
 * and hidden, {@code batch x (window - 1) x inputSize} for carried inputs). f-pooling has no separate
 * hidden block: its hidden output is its cell.
 *
 * <p>Indices: one int array holds each row's sequence, then each sequence's first row, then each
 * sequence's length.
 */
final class BatchPlan {
    /** Receives staged values at a float offset. */
    interface FloatSink {
        /** Writes {@code values[from, from + length)} at {@code offset}. */
        void put(long offset, float[] values, int from, int length);
    }

    /** Supplies staged values from a float offset. */
    interface FloatSource {
        /** Reads {@code length} values at {@code offset} into {@code values[from..]}. */
        void get(long offset, float[] values, int from, int length);
    }

    private final QrnnStack stack;
    private final int[] lengths;
    private final int[] firstRows;
    private final int rows;
    private final long[] carriedIn;
    private final long[] cells;
    private final long[] hiddens;
    private final long[] carriedOut;
    private final long cellStart;
    private final long carriedOutStart;
    private final long stateFloats;
    private final int activationWidth;
    private final int windowWidth;
    private final int gateWidth;

    private BatchPlan(QrnnStack stack, int[] lengths) {
        this.stack = stack;
        this.lengths = lengths;
        this.firstRows = new int[lengths.length];
        int total = 0;
        for (int s = 0; s < lengths.length; s++) {
            firstRows[s] = total;
            total = Math.addExact(total, lengths[s]);
        }
        this.rows = total;
        int layers = stack.layers().size();
        int batch = lengths.length;
        carriedIn = new long[layers];
        cells = new long[layers];
        hiddens = new long[layers];
        carriedOut = new long[layers];
        long offset = 0;
        for (int l = 0; l < layers; l++) {
            carriedIn[l] = offset;
            offset += carriedFloats(l, batch);
        }
        cellStart = offset;
        for (int l = 0; l < layers; l++) {
            QrnnLayerSpec spec = spec(l);
            cells[l] = offset;
            offset += (long) batch * spec.hiddenSize();
            hiddens[l] = spec.pooling().hasOutputGate() ? offset : cells[l];
            offset += spec.pooling().hasOutputGate() ? (long) batch * spec.hiddenSize() : 0;
        }
        carriedOutStart = offset;
        for (int l = 0; l < layers; l++) {
            carriedOut[l] = offset;
            offset += carriedFloats(l, batch);
        }
        stateFloats = offset;
        int activations = stack.inputSize();
        int windowColumns = 0;
        int gateColumns = 0;
        for (int l = 0; l < layers; l++) {
            QrnnLayerSpec spec = spec(l);
            activations = Math.max(activations, outputStride(l));
            windowColumns = Math.max(windowColumns, spec.convolutionRows());
            gateColumns = Math.max(gateColumns, spec.convolutionColumns());
        }
        activationWidth = activations;
        windowWidth = windowColumns;
        gateWidth = gateColumns;
        requireIndexable((long) rows * activationWidth, "activations");
        requireIndexable((long) rows * windowWidth, "convolution windows");
        requireIndexable((long) rows * gateWidth, "gate pre-activations");
    }

    /**
     * Validates a batch and lays it out.
     *
     * @throws IllegalArgumentException if the lists differ in size, a state does not fit the stack or a
     *     chunk does not hold whole timesteps
     */
    static BatchPlan of(QrnnStack stack, List<QrnnState> states, List<float[]> chunks) {
        Objects.requireNonNull(stack, "stack");
        if (states.size() != chunks.size()) {
            throw new IllegalArgumentException(states.size() + " states but " + chunks.size() + " chunks");
        }
        int[] lengths = new int[chunks.size()];
        for (int s = 0; s < chunks.size(); s++) {
            states.get(s).requireFits(stack);
            float[] chunk = Objects.requireNonNull(chunks.get(s), "chunk");
            if (chunk.length % stack.inputSize() != 0) {
                throw new IllegalArgumentException("a chunk of " + chunk.length + " values does not hold whole "
                        + stack.inputSize() + "-feature timesteps");
            }
            lengths[s] = chunk.length / stack.inputSize();
        }
        return new BatchPlan(stack, lengths);
    }

    QrnnStack stack() {
        return stack;
    }

    int batch() {
        return lengths.length;
    }

    /** Timesteps of all sequences together: the rows of every matrix of the pass. */
    int rows() {
        return rows;
    }

    int length(int sequence) {
        return lengths[sequence];
    }

    int firstRow(int sequence) {
        return firstRows[sequence];
    }

    int layers() {
        return stack.layers().size();
    }

    QrnnLayerSpec spec(int layer) {
        return stack.layer(layer).spec();
    }

    /** Width of the matrix layer {@code layer} writes: its input and its output side by side when dense. */
    int outputStride(int layer) {
        QrnnLayerSpec spec = spec(layer);
        return stack.spec().dense() ? spec.inputSize() + spec.hiddenSize() : spec.hiddenSize();
    }

    /** Column at which layer {@code layer} writes its output within {@link #outputStride}. */
    int outputOffset(int layer) {
        return stack.spec().dense() ? spec(layer).inputSize() : 0;
    }

    /** Widest activation row of the pass (the layer inputs and outputs), in floats. */
    int activationWidth() {
        return activationWidth;
    }

    /** Widest convolution window row, in floats. */
    int windowWidth() {
        return windowWidth;
    }

    /** Widest gate pre-activation row, in floats. */
    int gateWidth() {
        return gateWidth;
    }

    long carriedInOffset(int layer) {
        return carriedIn[layer];
    }

    long cellOffset(int layer) {
        return cells[layer];
    }

    /** Equal to {@link #cellOffset} for f-pooling, whose hidden output is its cell. */
    long hiddenOffset(int layer) {
        return hiddens[layer];
    }

    long carriedOutOffset(int layer) {
        return carriedOut[layer];
    }

    /** Floats of the whole state region. */
    long stateFloats() {
        return stateFloats;
    }

    /** Floats uploaded from the start of the state region: carried inputs, cells and hiddens. */
    long uploadedStateFloats() {
        return carriedOutStart;
    }

    /** Where the downloaded part of the state region starts: the cells. */
    long downloadedStateFrom() {
        return cellStart;
    }

    /** Ints of the index array: each row's sequence, each sequence's first row, each sequence's length. */
    int indexInts() {
        return rows + 2 * batch();
    }

    int rowSequenceOffset() {
        return 0;
    }

    int firstRowOffset() {
        return rows;
    }

    int lengthOffset() {
        return rows + batch();
    }

    /** The index array. */
    int[] index() {
        int[] index = new int[indexInts()];
        for (int s = 0; s < batch(); s++) {
            for (int t = 0; t < lengths[s]; t++) {
                index[firstRows[s] + t] = s;
            }
            index[firstRowOffset() + s] = firstRows[s];
            index[lengthOffset() + s] = lengths[s];
        }
        return index;
    }

    /**
     * Writes every sequence's carried inputs, cells and hiddens into the state region and the chunks,
     * row after row, into the first layer's input ({@code rows x inputSize}).
     */
    void gather(List<QrnnState> states, List<float[]> chunks, FloatSink state, FloatSink input) {
        for (int l = 0; l < layers(); l++) {
            QrnnLayerSpec spec = spec(l);
            int h = spec.hiddenSize();
            int carried = spec.carriedInputs() * spec.inputSize();
            for (int s = 0; s < batch(); s++) {
                LayerState layer = states.get(s).layer(l);
                state.put(carriedIn[l] + (long) s * carried, layer.window(), 0, carried);
                state.put(cells[l] + (long) s * h, layer.cell(), 0, h);
                if (spec.pooling().hasOutputGate()) {
                    state.put(hiddens[l] + (long) s * h, layer.hidden(), 0, h);
                }
            }
        }
        for (int s = 0; s < batch(); s++) {
            float[] chunk = chunks.get(s);
            input.put((long) firstRows[s] * stack.inputSize(), chunk, 0, chunk.length);
        }
    }

    /**
     * Reads each sequence's new state from the state region and its outputs from {@code outputs}
     * ({@code rows x outputSize}, compact).
     */
    List<StepResult> scatter(List<QrnnState> states, FloatSource state, FloatSource outputs) {
        int width = stack.outputSize();
        List<StepResult> results = new ArrayList<>(batch());
        for (int s = 0; s < batch(); s++) {
            List<LayerState> layers = new ArrayList<>(layers());
            for (int l = 0; l < layers(); l++) {
                QrnnLayerSpec spec = spec(l);
                int h = spec.hiddenSize();
                int carried = spec.carriedInputs() * spec.inputSize();
                float[] cell = new float[h];
                float[] hidden = new float[h];
                float[] window = new float[carried];
                state.get(cells[l] + (long) s * h, cell, 0, h);
                state.get(hiddens[l] + (long) s * h, hidden, 0, h);
                state.get(carriedOut[l] + (long) s * carried, window, 0, carried);
                layers.add(LayerState.of(spec.pooling(), cell, hidden, window));
            }
            float[] out = new float[lengths[s] * width];
            outputs.get((long) firstRows[s] * width, out, 0, out.length);
            QrnnState next = new QrnnState(layers, states.get(s).tokensSeen() + lengths[s]);
            results.add(new StepResult(out, lengths[s], next));
        }
        return results;
    }

    private long carriedFloats(int layer, int batch) {
        QrnnLayerSpec spec = spec(layer);
        return (long) batch * spec.carriedInputs() * spec.inputSize();
    }

    private static void requireIndexable(long floats, String what) {
        if (floats > Integer.MAX_VALUE - 8L) {
            throw new IllegalArgumentException("the batch's " + what + " need " + floats
                    + " floats, more than one pass can index");
        }
    }
}
