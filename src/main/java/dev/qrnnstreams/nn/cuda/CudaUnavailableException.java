package dev.qrnnstreams.nn.cuda;

/**
 * No CUDA backend can run here: the CUDA 13 libraries cannot be loaded, the driver is missing or too old,
 * or there is no device. The message says which, and what to install; callers that may run on the CPU
 * instead (see {@code qrnn.backend=auto}) catch it and fall back.
 */
public final class CudaUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CudaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
