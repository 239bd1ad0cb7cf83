package dev.qrnnstreams.nn.cuda;

/**
 * The device operations one batched forward pass is made of, in the order {@link StackPass} issues them.
 *
 * <p>Two activation buffers (0 and 1, each {@code rows x activationWidth}) alternate as layer input and
 * layer output; the row stride of a buffer is the width of the layer input it holds. Implemented on the
 * GPU by {@link CudaBackend}; the tests implement it in plain Java to check the pass and the
 * {@link BatchPlan} layout against the CPU backend.
 */
interface LayerKernels {

    /** Makes room for the plan's buffers; keeps earlier allocations when they are large enough. */
    void reserve(BatchPlan plan);

    /** Where {@link BatchPlan#gather} writes the state region. */
    BatchPlan.FloatSink stateStaging();

    /** Where {@link BatchPlan#gather} writes the first layer's input. */
    BatchPlan.FloatSink inputStaging();

    /** Copies the staged state, first-layer input (into buffer 0) and index array to the device. */
    void upload(BatchPlan plan);

    /** Lays out the convolution window of every row of layer {@code layer} from buffer {@code source}. */
    void layOutWindows(BatchPlan plan, int layer, int source);

    /** Multiplies the windows by the layer's packed weight: the gate pre-activations of every row. */
    void project(BatchPlan plan, int layer);

    /** Copies the first {@code width} columns of every row of {@code source} into {@code target}. */
    void copyColumns(BatchPlan plan, int source, int sourceStride, int target, int targetStride, int width);

    /**
     * Activates and pools every sequence from its staged cell and hidden, writing {@code h_t} of row r
     * to {@code target} at {@code r * stride + offset} and the last cell and hidden back to the state.
     */
    void pool(BatchPlan plan, int layer, int target, int offset, int stride);

    /** Writes each sequence's last {@code window - 1} inputs of layer {@code layer} to the state region. */
    void carry(BatchPlan plan, int layer, int source);

    /**
     * Copies the downloaded part of the state region and the stack's outputs (columns
     * {@code [offset, offset + outputSize)} of buffer {@code source}) to the host, and waits for them.
     */
    void download(BatchPlan plan, int source, int offset, int stride);

    /** The state region as downloaded. */
    BatchPlan.FloatSource stateResult();

    /** The stack's outputs as downloaded, {@code rows x outputSize}. */
    BatchPlan.FloatSource outputResult();
}
