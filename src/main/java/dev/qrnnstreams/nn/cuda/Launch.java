package dev.qrnnstreams.nn.cuda;

/**
 * The geometry of one one-dimensional kernel launch.
 *
 * @param blocks blocks in the grid, at least 1
 * @param threadsPerBlock threads per block, at least 1
 */
record Launch(int blocks, int threadsPerBlock) {
    /** Threads per block of every QRNN kernel: four warps, enough to hide latency at any occupancy. */
    static final int THREADS_PER_BLOCK = 128;
    /** Most blocks a grid-stride kernel starts; each thread then loops over the rest. */
    static final int MAX_GRID_STRIDE_BLOCKS = 65_536;

    Launch {
        if (blocks < 1 || threadsPerBlock < 1) {
            throw new IllegalArgumentException("a launch needs at least one block of one thread, was "
                    + blocks + " x " + threadsPerBlock);
        }
    }

    /** One thread per item, as the pooling kernels need (each thread owns one sequence's unit). */
    static Launch oneThreadPerItem(long items) {
        long blocks = Math.max(1, ceilDiv(items, THREADS_PER_BLOCK));
        if (blocks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(items + " threads do not fit one grid");
        }
        return new Launch((int) blocks, THREADS_PER_BLOCK);
    }

    /** A grid-stride launch over {@code items}: one thread per item up to the block cap. */
    static Launch gridStride(long items) {
        return new Launch((int) Math.max(1, Math.min(ceilDiv(items, THREADS_PER_BLOCK), MAX_GRID_STRIDE_BLOCKS)),
                THREADS_PER_BLOCK);
    }

    /** Threads the launch starts. */
    long threads() {
        return (long) blocks * threadsPerBlock;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
