package dev.qrnnstreams.nn.cuda;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Loading of the CUDA libraries through JavaCPP, and the status check every CUDA call goes through.
 *
 * <p>The JNI glue comes from the {@code org.bytedeco:cuda} platform jar; the libraries it links
 * ({@code libcuda.so.1}, {@code libcudart.so.13}, {@code libcublas.so.13}, {@code libnvrtc.so.13}) come
 * from the machine's driver and CUDA 13 toolkit, found on the system library path, in
 * {@code LD_LIBRARY_PATH} or under {@code /usr/local/cuda/lib64}.
 */
final class CudaCalls {
    static final String INSTALL_HINT = "install the NVIDIA driver and the CUDA 13 toolkit, or put their "
            + "lib64 directories on LD_LIBRARY_PATH";

    private static final Map<Class<?>, LinkageError> FIRST_FAILURES = new ConcurrentHashMap<>();

    private CudaCalls() {
    }

    /** Loads the CUDA runtime and driver API bindings. */
    static void loadRuntime() {
        load(cudart.class, "the CUDA runtime and driver (libcudart.so.13, libcuda.so.1)");
    }

    /** Loads the cuBLAS bindings. */
    static void loadBlas() {
        load(cublas.class, "cuBLAS (libcublas.so.13, libcublasLt.so.13)");
    }

    /** Loads the NVRTC bindings. */
    static void loadNvrtc() {
        load(nvrtc.class, "NVRTC (libnvrtc.so.13, loaded by JavaCPP together with the CUDA runtime and driver, "
                + "libcudart.so.13 and libcuda.so.1)");
    }

    private static void load(Class<?> presets, String what) {
        try {
            Loader.load(presets);
        } catch (LinkageError e) {
            LinkageError first = FIRST_FAILURES.computeIfAbsent(presets, p -> e);
            throw new CudaUnavailableException("cannot load " + what + ": " + causes(first) + "; " + INSTALL_HINT, e);
        }
    }

    /**
     * The messages of an error and its causes. JavaCPP reports a missing dependency of its JNI glue (the
     * driver, say) in a cause, and a second attempt only as "Could not initialize class", which is why the
     * first failure of each library is kept.
     */
    private static String causes(Throwable error) {
        StringBuilder text = new StringBuilder(error.toString());
        for (Throwable cause = error.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append(", caused by ").append(cause);
        }
        return text.toString();
    }

    /** Fails unless a CUDA runtime call succeeded. */
    static void check(int status, String call) {
        if (status != cudart.cudaSuccess) {
            throw new CudaException(call + " failed: " + runtimeError(status));
        }
    }

    /** A runtime status as {@code name (code): description}. */
    static String runtimeError(int status) {
        return cudart.cudaGetErrorName(status).getString() + " (" + status + "): "
                + cudart.cudaGetErrorString(status).getString();
    }

    /** Fails unless a CUDA driver API call succeeded. */
    static void checkDriver(int status, String call) {
        if (status != cudart.CUDA_SUCCESS) {
            String name = "CUresult " + status;
            try (PointerPointer<BytePointer> text = new PointerPointer<>(1)) {
                if (cudart.cuGetErrorName(status, text) == cudart.CUDA_SUCCESS) {
                    name = text.getString(0) + " (" + status + ")";
                }
            }
            throw new CudaException(call + " failed: " + name);
        }
    }

    /** Fails unless a cuBLAS call succeeded. */
    static void checkBlas(int status, String call) {
        if (status != cublas.CUBLAS_STATUS_SUCCESS) {
            throw new CudaException(call + " failed: " + cublas.cublasGetStatusString(status).getString()
                    + " (" + status + ")");
        }
    }

    /** Fails unless an NVRTC call succeeded; {@code log} is the compiler's output, if any. */
    static void checkNvrtc(int status, String call, String log) {
        if (status != nvrtc.NVRTC_SUCCESS) {
            throw new CudaException(call + " failed: " + nvrtc.nvrtcGetErrorString(status).getString() + " ("
                    + status + ")" + (log.isBlank() ? "" : "\n" + log));
        }
    }
}
