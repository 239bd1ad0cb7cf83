package dev.qrnnstreams.nn.cpu;

import dev.qrnnstreams.nn.QrnnBackend;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.StepResult;

import java.util.List;
import java.util.Objects;

/**
 * The single entry point for inference: sends a batch to a small-batch backend or a large-batch
 * backend by its total number of timesteps.
 *
 * <p>{@link #cpu()} pairs the Vector API path (below {@link #DEFAULT_CPU_THRESHOLD} timesteps) with
 * the ND4J gemm path; the threshold comes from the benchmark suite (see {@code BENCHMARKS.md}).
 * Both paths compute the same function, so the choice affects speed only.
 * Confined to one thread at a time, like the backends it wraps.
 */
public final class AdaptiveBackend implements QrnnBackend {
    /**
     * Total timesteps from which the CPU entry point uses the ND4J gemm path. Below it the Vector API
     * path, split across cores, measured faster at every shape benchmarked (up to 16,384 timesteps,
     * where the two were within 10%); beyond, OpenBLAS's cache-blocked sgemm is the safer choice.
     */
    public static final int DEFAULT_CPU_THRESHOLD = 16_384;

    private final QrnnBackend small;
    private final QrnnBackend large;
    private final int threshold;

    /**
     * @param small used when a batch has fewer than {@code threshold} timesteps in all
     * @param large used otherwise
     * @param threshold total timesteps, at least 1
     */
    public AdaptiveBackend(QrnnBackend small, QrnnBackend large, int threshold) {
        this.small = Objects.requireNonNull(small, "small");
        this.large = Objects.requireNonNull(large, "large");
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1, was " + threshold);
        }
        this.threshold = threshold;
    }

    /** The CPU entry point over every core: {@link #cpu(int)} with the available processors. */
    public static AdaptiveBackend cpu() {
        return cpu(Runtime.getRuntime().availableProcessors());
    }

    /**
     * The CPU entry point, {@link CpuBackend#vectorised(int)} then {@link CpuBackend#nd4jGemm(int)}, splitting
     * its own work over at most {@code threads} cores (ND4J's gemm keeps its own thread count).
     */
    public static AdaptiveBackend cpu(int threads) {
        return new AdaptiveBackend(CpuBackend.vectorised(threads), CpuBackend.nd4jGemm(threads), DEFAULT_CPU_THRESHOLD);
    }

    @Override
    public List<StepResult> step(QrnnStack stack, List<QrnnState> states, List<float[]> chunks) {
        return choose(stack, chunks).step(stack, states, chunks);
    }

    /** The backend a batch of these chunks goes to. */
    QrnnBackend choose(QrnnStack stack, List<float[]> chunks) {
        long timesteps = 0;
        for (float[] chunk : chunks) {
            timesteps += chunk.length / stack.inputSize();
        }
        return timesteps < threshold ? small : large;
    }

    @Override
    public String name() {
        return "adaptive(" + small.name() + " < " + threshold + " <= " + large.name() + ")";
    }

    @Override
    public void close() {
        small.close();
        large.close();
    }
}
