package dev.qrnnstreams.nn.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Splits a range of independent columns (hidden units of a pooling, panels of a matrix product) into
 * contiguous slices and runs a task per slice on the cores of the machine.
 *
 * <p>Slice bounds are multiples of a caller-given alignment (the SIMD width, or a weight panel), so
 * every column is computed by the same instruction sequence whatever the number of slices: results do
 * not depend on how work was split. The calling thread runs the first slice itself; the others go to
 * daemon helper threads started on first use and stopped by {@link #close()}. A hand-off costs tens
 * of microseconds, so callers split only work that is large enough ({@link #slicesFor}).
 *
 * <p>One instance serves one calling thread at a time.
 */
public final class CoreSlices implements AutoCloseable {
    private final int threads;
    private ExecutorService helpers;

    /** Slices over the available processors, the caller's thread included. */
    public CoreSlices() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** Slices over at most {@code threads} threads, the caller's included (1: the caller alone, no helpers). */
    public CoreSlices(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        this.threads = threads;
    }

    /** A task over columns {@code [from, to)}. */
    public interface SliceTask {
        /** Runs the task over columns {@code [from, to)}. */
        void run(int from, int to);
    }

    /**
     * The number of slices for {@code work} units of work of which each slice should get at least
     * {@code minWorkPerSlice}, and for at most {@code length / alignment} aligned slices.
     */
    public int slicesFor(long work, long minWorkPerSlice, int length, int alignment) {
        return (int) Math.max(1, Math.min(Math.min(threads, work / minWorkPerSlice), length / alignment));
    }

    /** Runs {@code task} over {@code [0, length)} cut into {@code slices} slices aligned to {@code alignment}. */
    public void run(int length, int alignment, int slices, SliceTask task) {
        if (slices <= 1) {
            task.run(0, length);
            return;
        }
        List<Future<?>> others = new ArrayList<>(slices - 1);
        for (int s = 1; s < slices; s++) {
            int from = bound(length, alignment, s, slices);
            int to = bound(length, alignment, s + 1, slices);
            others.add(helpers().submit(() -> task.run(from, to)));
        }
        task.run(0, bound(length, alignment, 1, slices));
        for (Future<?> other : others) {
            join(other);
        }
    }

    private static int bound(int length, int alignment, int slice, int slices) {
        return slice == slices ? length : (int) ((long) length * slice / slices) / alignment * alignment;
    }

    private ExecutorService helpers() {
        if (helpers == null) {
            helpers = Executors.newFixedThreadPool(threads - 1, runnable -> {
                Thread thread = new Thread(runnable, "qrnn-core-slice");
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
            throw new IllegalStateException("interrupted while waiting for a slice", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("a slice failed", e.getCause());
        }
    }

    /** Stops the helper threads; calling it again does nothing more. */
    @Override
    public void close() {
        if (helpers != null) {
            helpers.shutdownNow();
        }
    }
}
