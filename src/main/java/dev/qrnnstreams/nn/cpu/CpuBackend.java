package dev.qrnnstreams.nn.cpu;

import dev.qrnnstreams.nn.QrnnBackend;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.StepResult;
import dev.qrnnstreams.nn.kernel.CoreSlices;
import dev.qrnnstreams.nn.kernel.Nd4jProjection;
import dev.qrnnstreams.nn.kernel.ProjectionKernel;
import dev.qrnnstreams.nn.kernel.VectorProjection;

import java.util.List;

/**
 * A CPU {@link QrnnBackend}: one window-matrix product per layer for the whole batch, then a
 * vectorised pooling scan per sequence.
 *
 * <ul>
 *   <li>{@link #vectorised()} multiplies with a Vector API kernel over {@code float[]}: no native
 *       call and no per-timestep overhead, the fast path for a few timesteps of one key; products of
 *       many rows are split across cores by weight panels;</li>
 *   <li>{@link #nd4jGemm()} multiplies with one {@code Nd4j.gemm} into reused native buffers, the
 *       path for many keys' chunks at once.</li>
 * </ul>
 *
 * <p>Confined to one thread at a time (scratch buffers are reused); close to free native memory.
 */
public final class CpuBackend implements QrnnBackend {
    private final String name;
    private final CpuStackRunner runner;

    private CpuBackend(String name, ProjectionKernel projection, CoreSlices slices) {
        this.name = name;
        this.runner = new CpuStackRunner(projection, slices);
    }

    /** The pure-Java Vector API path, splitting its work over every core. */
    public static CpuBackend vectorised() {
        return vectorised(Runtime.getRuntime().availableProcessors());
    }

    /** The pure-Java Vector API path, splitting its work over at most {@code threads} cores, the caller's included. */
    public static CpuBackend vectorised(int threads) {
        CoreSlices slices = new CoreSlices(threads);
        return new CpuBackend("cpu-vector", new VectorProjection(slices), slices);
    }

    /** The ND4J gemm path, its pooling split over every core. */
    public static CpuBackend nd4jGemm() {
        return nd4jGemm(Runtime.getRuntime().availableProcessors());
    }

    /** The ND4J gemm path, its pooling split over at most {@code threads} cores. */
    public static CpuBackend nd4jGemm(int threads) {
        return new CpuBackend("cpu-nd4j", new Nd4jProjection(), new CoreSlices(threads));
    }

    @Override
    public List<StepResult> step(QrnnStack stack, List<QrnnState> states, List<float[]> chunks) {
        return runner.run(stack, states, chunks);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        runner.close();
    }
}
