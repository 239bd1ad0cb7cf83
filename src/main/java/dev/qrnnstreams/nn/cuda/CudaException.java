package dev.qrnnstreams.nn.cuda;

/** A CUDA, cuBLAS or NVRTC call returned an error status; the message names the call and the status. */
public final class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CudaException(String message) {
        super(message);
    }
}
