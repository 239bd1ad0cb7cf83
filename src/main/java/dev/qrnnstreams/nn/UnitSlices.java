package dev.qrnnstreams.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Splits the hidden units of a layer into contiguous slices and runs a task per slice, in parallel
 * when the work is large enough to repay the hand-off.
 *
 * <p>Pooling is independent per hidden unit, so slices never share a value. Slice bounds are multiples
 * of the SIMD width, so every unit is computed by the same instruction sequence whatever the number of
 * slices: results do not depend on the batch size. The calling thread runs the first slice itself;
 * the others go to daemon helper threads started on first use and stopped by {@link #close()}.
 */
final class UnitSlices implements AutoCloseable {
    /** Values one slice must at least have before a second thread is worth waking. */
    static final long MIN_VALUES_PER_SLICE = 1L << 15;
    private static final int LANES = VectorKernels.SPECIES.length();

    private final int threads;
    private ExecutorService helpers;

    /** Slices over at most {@code threads} threads, the caller's included. */
    UnitSlices(int threads) {
        this.threads = Math.max(1, threads);
    }

    /** A task over hidden units {@code [fromUnit, toUnit)}. */
    interface SliceTask {
        void run(int fromUnit, int toUnit);
    }

    /**
     * Runs {@code task} over {@code units} hidden units split into slices.
     *
     * @param values the number of values the whole task touches, to decide whether to split
     * @param parallel false to run in one slice on the calling thread (for example when a random
     *     generator must be drawn from in a fixed order)
     */
    void run(int units, long values, boolean parallel, SliceTask task) {
        int slices = parallel ? (int) Math.min(Math.min(threads, values / MIN_VALUES_PER_SLICE), units / LANES) : 1;
        if (slices <= 1) {
            task.run(0, units);
            return;
        }
        List<Future<?>> others = new ArrayList<>(slices - 1);
        for (int s = 1; s < slices; s++) {
            int from = bound(units, s, slices);
            int to = bound(units, s + 1, slices);
            others.add(helpers().submit(() -> task.run(from, to)));
        }
        task.run(0, bound(units, 1, slices));
        for (Future<?> other : others) {
            join(other);
        }
    }

    private static int bound(int units, int slice, int slices) {
        return slice == slices ? units : (int) ((long) units * slice / slices) / LANES * LANES;
    }

    private ExecutorService helpers() {
        if (helpers == null) {
            helpers = Executors.newFixedThreadPool(threads - 1, runnable -> {
                Thread thread = new Thread(runnable, "qrnn-pooling");
                thread.setDaemon(true);
                return thread;
            });
        }
        return helpers;
    }

    private static void join(Future<?> future) {
        try {
            future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pooling", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("pooling failed", e.getCause());
        }
    }

    @Override
    public void close() {
        if (helpers != null) {
            helpers.shutdownNow();
        }
    }
}
