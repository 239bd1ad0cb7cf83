package dev.qrnnstreams.nn;

/**
 * The recurrent pooling function of a QRNN layer (Bradbury et al. 2017, section 2).
 *
 * <p>The convolution produces, per timestep, a candidate {@code z_t = tanh(.)} and sigmoid gates. The
 * pooling then mixes them over time, element-wise per hidden unit:
 * <ul>
 *   <li>{@link #F}: {@code h_t = f_t * h_{t-1} + (1 - f_t) * z_t}</li>
 *   <li>{@link #FO}: {@code c_t = f_t * c_{t-1} + (1 - f_t) * z_t},
 *       {@code h_t = o_t * c_t}</li>
 *   <li>{@link #IFO}: {@code c_t = f_t * c_{t-1} + i_t * z_t}, {@code h_t = o_t * c_t}</li>
 * </ul>
 * Gates are packed in the order Z, F, O, I; a pooling uses the first {@link #gateCount()} of them.
 */
public enum Pooling {
    /** Forget-gate pooling: the hidden state is the memory cell. */
    F(2),
    /** Forget and output gates: {@code h = o * c}. */
    FO(3),
    /** Independent input and forget gates, and an output gate. */
    IFO(4);

    /** Index of the candidate Z in the packed gate order. */
    public static final int Z = 0;
    /** Index of the forget gate F in the packed gate order. */
    public static final int FORGET = 1;
    /** Index of the output gate O in the packed gate order. */
    public static final int OUTPUT = 2;
    /** Index of the input gate I in the packed gate order. */
    public static final int INPUT = 3;

    private final int gateCount;

    Pooling(int gateCount) {
        this.gateCount = gateCount;
    }

    /** Number of convolution outputs per hidden unit: Z plus the gates this pooling reads. */
    public int gateCount() {
        return gateCount;
    }

    /** Whether the hidden output differs from the memory cell ({@code h = o * c}). */
    public boolean hasOutputGate() {
        return this != F;
    }
}
