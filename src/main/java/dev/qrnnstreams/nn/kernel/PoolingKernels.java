package dev.qrnnstreams.nn.kernel;

import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.QrnnLayerSpec;

import jdk.incubator.vector.FloatVector;

/**
 * Gate activations and the recurrent pooling scan of a QRNN layer (Bradbury et al. 2017, equations
 * 1 to 4), vectorised across hidden units and sequential in time.
 *
 * <p>Pre-activations arrive as rows of {@code gateCount * hiddenSize} columns, gates in the order
 * Z, F, O, I. {@link #activate} turns them into {@code z = tanh(.)} and sigmoid gates in place;
 * {@link #pool} walks time:
 * <pre>
 *   f:   c_t = f_t * c_{t-1} + (1 - f_t) * z_t,  h_t = c_t
 *   fo:  c_t = f_t * c_{t-1} + (1 - f_t) * z_t,  h_t = o_t * c_t
 *   ifo: c_t = f_t * c_{t-1} + i_t * z_t,        h_t = o_t * c_t
 * </pre>
 */
public final class PoolingKernels {
    private static final int LANES = VectorKernels.SPECIES.length();

    private PoolingKernels() {
    }

    /**
     * Adds the bias and applies tanh to Z and the sigmoid to every gate, for {@code rows} rows from
     * {@code firstRow} and hidden units {@code [fromUnit, toUnit)}. With {@code zoneout = p > 0} the
     * forget gate takes its expected value under zoneout, {@code f = p + (1 - p) * sigmoid(.)}.
     */
    public static void activate(QrnnLayerSpec spec, float[] pre, int firstRow, int rows, int fromUnit, int toUnit,
                         float[] bias) {
        int h = spec.hiddenSize();
        int n = spec.convolutionColumns();
        int units = toUnit - fromUnit;
        float zoneout = (float) spec.zoneout();
        for (int t = firstRow; t < firstRow + rows; t++) {
            int row = t * n + fromUnit;
            VectorKernels.tanhWithBias(pre, row, bias, fromUnit, units);
            for (int gate = 1; gate < spec.pooling().gateCount(); gate++) {
                VectorKernels.sigmoidWithBias(pre, row + gate * h, bias, gate * h + fromUnit, units);
            }
            if (zoneout > 0f) {
                VectorKernels.raiseFloor(pre, row + Pooling.FORGET * h, zoneout, units);
            }
        }
    }

    /**
     * Runs the pooling over {@code rows} activated rows from {@code firstRow} for hidden units
     * {@code [fromUnit, toUnit)}, updating {@code cell}
     * and {@code hidden} (the same array for f-pooling) in place and writing each {@code h_t} to
     * {@code out} at {@code outOffset + t * outStride}.
     */
    public static void pool(QrnnLayerSpec spec, float[] gates, int firstRow, int rows, int fromUnit, int toUnit,
                     float[] cell, float[] hidden, float[] out, int outOffset, int outStride) {
        int h = spec.hiddenSize();
        int n = spec.convolutionColumns();
        Pooling pooling = spec.pooling();
        for (int t = 0; t < rows; t++) {
            int z = (firstRow + t) * n;
            int f = z + Pooling.FORGET * h;
            int o = z + Pooling.OUTPUT * h;
            int in = z + Pooling.INPUT * h;
            int dst = outOffset + t * outStride;
            int u = fromUnit;
            for (; u + LANES <= toUnit; u += LANES) {
                FloatVector zv = FloatVector.fromArray(VectorKernels.SPECIES, gates, z + u);
                FloatVector fv = FloatVector.fromArray(VectorKernels.SPECIES, gates, f + u);
                FloatVector cv = FloatVector.fromArray(VectorKernels.SPECIES, cell, u);
                FloatVector next = pooling == Pooling.IFO
                        ? fv.mul(cv).add(FloatVector.fromArray(VectorKernels.SPECIES, gates, in + u).mul(zv))
                        : cv.fma(fv, fv.neg().add(1f).mul(zv));
                next.intoArray(cell, u);
                FloatVector hv = pooling.hasOutputGate()
                        ? FloatVector.fromArray(VectorKernels.SPECIES, gates, o + u).mul(next)
                        : next;
                hv.intoArray(hidden, u);
                hv.intoArray(out, dst + u);
            }
            for (; u < toUnit; u++) {
                float zs = gates[z + u];
                float fs = gates[f + u];
                float c = pooling == Pooling.IFO
                        ? fs * cell[u] + gates[in + u] * zs
                        : Math.fma(cell[u], fs, (1f - fs) * zs);
                cell[u] = c;
                float hs = pooling.hasOutputGate() ? gates[o + u] * c : c;
                hidden[u] = hs;
                out[dst + u] = hs;
            }
        }
    }
}
