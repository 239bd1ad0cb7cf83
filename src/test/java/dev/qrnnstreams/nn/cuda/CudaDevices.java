package dev.qrnnstreams.nn.cuda;

import org.junit.jupiter.api.Assumptions;

/**
 * Opens the CUDA backend for tests that need a GPU: skips them, with the reason, where CUDA cannot run,
 * or fails them instead when the system property {@value #REQUIRED} is true (as the GPU bundle's check
 * sets it, so that a missing device cannot pass as a skipped test).
 */
final class CudaDevices {
    /** Set to {@code true} to fail rather than skip the GPU tests where CUDA cannot run. */
    static final String REQUIRED = "qrnn.cuda.required";

    private CudaDevices() {
    }

    static CudaBackend openOrSkip() {
        try {
            return CudaBackend.open();
        } catch (CudaUnavailableException e) {
            if (Boolean.getBoolean(REQUIRED)) {
                throw new AssertionError(REQUIRED + " is set but CUDA cannot run: " + e.getMessage(), e);
            }
            Assumptions.abort("no CUDA device here: " + e.getMessage());
            throw e;
        }
    }
}
