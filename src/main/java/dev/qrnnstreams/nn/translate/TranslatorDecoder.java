package dev.qrnnstreams.nn.translate;

import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.QrnnLayer;
import dev.qrnnstreams.nn.kernel.VectorKernels;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The decoder of a {@link QrnnTranslator} run one target token at a time for a batch of hypotheses,
 * each reading one of several encoded sources: what greedy and beam search drive.
 *
 * <p>Each row carries, per decoder layer, its memory cell and its last {@code window - 1} inputs, and
 * reads the {@link TranslatorMemory} given by its row's source index. The arithmetic is the one
 * the training pass ({@code nn.grad.TranslatorBackprop}) does with no training noise (zoneout in its expected form), so
 * feeding a target sequence token by token gives the same outputs as the teacher-forced pass.
 *
 * <p>Instances are immutable: {@link #step} and {@link #select} return new decoders. Not meant for
 * sharing across threads only because each call allocates its own buffers; it is safe to do so.
 */
public final class TranslatorDecoder {
    private final QrnnTranslator translator;
    private final List<TranslatorMemory> memories;
    private final int[] rowSource;
    private final float[][] rowBias;
    private final float[][] cells;
    private final float[][] windows;

    private TranslatorDecoder(QrnnTranslator translator, List<TranslatorMemory> memories, int[] rowSource,
                              float[][] rowBias, float[][] cells, float[][] windows) {
        this.translator = translator;
        this.memories = memories;
        this.rowSource = rowSource;
        this.rowBias = rowBias;
        this.cells = cells;
        this.windows = windows;
    }

    /**
     * A decoder at the start of every target sequence: one row per source, row i reading memory i.
     *
     * @throws IllegalArgumentException if a memory does not fit the translator
     */
    public static TranslatorDecoder start(QrnnTranslator translator, List<TranslatorMemory> memories) {
        Objects.requireNonNull(translator, "translator");
        List<TranslatorMemory> sources = List.copyOf(memories);
        TranslatorSpec spec = translator.spec();
        int h = spec.hiddenSize();
        int n = Pooling.FO.gateCount() * h;
        int rows = sources.size();
        int[] rowSource = new int[rows];
        float[][] rowBias = new float[spec.layers()][rows * n];
        float[][] cells = new float[spec.layers()][rows * h];
        float[][] windows = new float[spec.layers()][];
        for (int l = 0; l < spec.layers(); l++) {
            windows[l] = new float[rows * carriedWidth(spec, l)];
        }
        for (int r = 0; r < rows; r++) {
            TranslatorMemory memory = sources.get(r);
            if (memory.finalHidden().size() != spec.layers() || memory.hiddenSize() != h) {
                throw new IllegalArgumentException("memory " + r + " does not fit a translator of " + spec.layers()
                        + " layers of " + h + " units");
            }
            rowSource[r] = r;
            for (int l = 0; l < spec.layers(); l++) {
                System.arraycopy(translator.decoderBias(l, memory.finalHidden().get(l)), 0, rowBias[l], r * n, n);
            }
        }
        return new TranslatorDecoder(translator, sources, rowSource, rowBias, cells, windows);
    }

    private static int carriedWidth(TranslatorSpec spec, int layer) {
        return (spec.window() - 1) * spec.decoderSpec().layerInputSize(layer);
    }

    /** Hypotheses in the batch. */
    public int rows() {
        return rowSource.length;
    }

    /** The index of the memory row {@code row} reads. */
    public int source(int row) {
        return rowSource[row];
    }

    /**
     * A decoder holding copies of the given rows, in that order (a row may repeat): how beam search
     * keeps the surviving hypotheses.
     */
    public TranslatorDecoder select(int[] rows) {
        int layers = cells.length;
        int h = translator.spec().hiddenSize();
        int n = Pooling.FO.gateCount() * h;
        int[] sources = new int[rows.length];
        float[][] bias = new float[layers][rows.length * n];
        float[][] newCells = new float[layers][rows.length * h];
        float[][] newWindows = new float[layers][];
        for (int l = 0; l < layers; l++) {
            int w = carriedWidth(translator.spec(), l);
            newWindows[l] = new float[rows.length * w];
            for (int i = 0; i < rows.length; i++) {
                int r = rows[i];
                Objects.checkIndex(r, rowSource.length);
                sources[i] = rowSource[r];
                System.arraycopy(rowBias[l], r * n, bias[l], i * n, n);
                System.arraycopy(cells[l], r * h, newCells[l], i * h, h);
                System.arraycopy(windows[l], r * w, newWindows[l], i * w, w);
            }
        }
        return new TranslatorDecoder(translator, memories, sources, bias, newCells, newWindows);
    }

    /**
     * The outcome of a step.
     *
     * @param decoder the decoder after the step
     * @param logProbabilities {@code rows x targetVocabularySize}: the log-probability of each next token
     */
    public record Step(TranslatorDecoder decoder, float[] logProbabilities) {
    }

    /** Feeds one token per row (BOS first) and returns the distribution of the next one. */
    public Step step(int[] tokens) {
        int rows = rows();
        if (tokens.length != rows) {
            throw new IllegalArgumentException(tokens.length + " tokens for " + rows + " rows");
        }
        TranslatorSpec spec = translator.spec();
        int h = spec.hiddenSize();
        int n = Pooling.FO.gateCount() * h;
        int k = spec.window();
        int layers = spec.layers();
        float zoneout = (float) spec.zoneout();
        float[][] newCells = new float[layers][];
        float[][] newWindows = new float[layers][];
        float[] x = translator.targetEmbedding().lookup(tokens);
        float[] lastGates = null;
        for (int l = 0; l < layers; l++) {
            QrnnLayer layer = translator.decoder().layer(l);
            int in = layer.spec().inputSize();
            int carried = (k - 1) * in;
            float[] window = new float[rows * k * in];
            float[] nextWindow = new float[rows * carried];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(windows[l], r * carried, window, r * k * in, carried);
                System.arraycopy(x, r * in, window, r * k * in + carried, in);
                System.arraycopy(window, r * k * in + in, nextWindow, r * carried, carried);
            }
            float[] gates = new float[rows * n];
            VectorKernels.matmul(window, rows, layer.weightMatrix(), gates);
            float[] cell = cells[l].clone();
            float[] out = new float[rows * h];
            for (int r = 0; r < rows; r++) {
                for (int col = 0; col < n; col++) {
                    float a = gates[r * n + col] + rowBias[l][r * n + col];
                    gates[r * n + col] = col < h ? (float) Math.tanh(a) : (float) (1.0 / (1.0 + Math.exp(-a)));
                }
                for (int u = 0; u < h; u++) {
                    float s = gates[r * n + Pooling.FORGET * h + u];
                    float f = zoneout > 0f ? zoneout + (1f - zoneout) * s : s;
                    float c = f * cell[r * h + u] + (1f - f) * gates[r * n + u];
                    cell[r * h + u] = c;
                    out[r * h + u] = gates[r * n + Pooling.OUTPUT * h + u] * c;
                }
            }
            newCells[l] = cell;
            newWindows[l] = nextWindow;
            x = out;
            lastGates = gates;
        }
        float[] hidden = new float[rows * h];
        float[] attended = new float[2 * h];
        float[] mixed = new float[h];
        float[] cellRows = new float[2 * h];
        for (int r = 0; r < rows; r++) {
            TranslatorMemory memory = memories.get(rowSource[r]);
            System.arraycopy(newCells[layers - 1], r * h, cellRows, h, h);
            float[] attention = new float[memory.length()];
            Arrays.fill(attended, 0f);
            Attention.attend(cellRows, h, memory.outputs(), memory.length(), 1, attention, attended);
            VectorKernels.matmul(attended, 1, translator.attentionOutput(), mixed);
            for (int u = 0; u < h; u++) {
                hidden[r * h + u] = lastGates[r * n + Pooling.OUTPUT * h + u] * mixed[u];
            }
        }
        float[] logits = OutputLayer.logits(translator, hidden, rows);
        OutputLayer.logSoftmaxRows(logits, rows, spec.targetVocabularySize());
        return new Step(new TranslatorDecoder(translator, memories, rowSource, rowBias, newCells, newWindows), logits);
    }

    /** Replaces each row of {@code values} by its log-softmax, in place. */
}
