package dev.qrnnstreams.nn.cuda;

import dev.qrnnstreams.nn.Pooling;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * The CUDA C source of the QRNN kernels ({@code qrnn-kernels.cu} next to this class) and its compilation
 * with NVRTC into a cubin for the device's architecture.
 *
 * <p>A cubin rather than PTX: a driver older than the NVRTC that wrote the PTX refuses to JIT it, while a
 * cubin for the exact architecture loads on any driver of the same major version. {@code --fmad=false}
 * keeps {@code a * b + c} unfused where the CPU kernels do not fuse it, so both backends round alike.
 */
final class QrnnKernels {
    /** Lays out the convolution windows of a layer. */
    static final String WINDOWS = "qrnn_windows";
    /** Keeps each sequence's last {@code window - 1} inputs. */
    static final String CARRY = "qrnn_carry";
    /** The name NVRTC gives the program in its messages. */
    static final String PROGRAM_NAME = "qrnn-kernels.cu";

    private QrnnKernels() {
    }

    /** The pooling kernel of a pooling function. */
    static String poolingKernel(Pooling pooling) {
        return switch (pooling) {
            case F -> "qrnn_pool_f";
            case FO -> "qrnn_pool_fo";
            case IFO -> "qrnn_pool_ifo";
        };
    }

    /** Every kernel the backend looks up. */
    static List<String> kernelNames() {
        return List.of(WINDOWS, CARRY, poolingKernel(Pooling.F), poolingKernel(Pooling.FO),
                poolingKernel(Pooling.IFO));
    }

    /** The kernel source. */
    static String source() {
        try (InputStream in = QrnnKernels.class.getResourceAsStream(PROGRAM_NAME)) {
            if (in == null) {
                throw new IllegalStateException("resource " + PROGRAM_NAME + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** NVRTC options for a device of compute capability {@code major.minor}. */
    static List<String> options(int major, int minor) {
        return List.of("--gpu-architecture=sm_" + major + minor, "--fmad=false");
    }

    /**
     * Compiles {@link #source()} into a cubin.
     *
     * @throws CudaUnavailableException if NVRTC cannot be loaded
     * @throws CudaException with the compiler log if compilation fails
     */
    static byte[] compileCubin(int major, int minor) {
        CudaCalls.loadNvrtc();
        _nvrtcProgram program = new _nvrtcProgram();
        try (BytePointer source = new BytePointer(source());
             BytePointer name = new BytePointer(PROGRAM_NAME)) {
            CudaCalls.checkNvrtc(nvrtc.nvrtcCreateProgram(program, source, name, 0, (PointerPointer<?>) null,
                    (PointerPointer<?>) null), "nvrtcCreateProgram", "");
        }
        try {
            List<String> options = options(major, minor);
            int status;
            try (PointerPointer<BytePointer> args = new PointerPointer<>(options.toArray(String[]::new))) {
                status = nvrtc.nvrtcCompileProgram(program, options.size(), args);
            }
            CudaCalls.checkNvrtc(status, "nvrtcCompileProgram " + options, log(program));
            try (SizeTPointer size = new SizeTPointer(1)) {
                CudaCalls.checkNvrtc(nvrtc.nvrtcGetCUBINSize(program, size), "nvrtcGetCUBINSize", "");
                byte[] cubin = new byte[Math.toIntExact(size.get())];
                CudaCalls.checkNvrtc(nvrtc.nvrtcGetCUBIN(program, cubin), "nvrtcGetCUBIN", "");
                return cubin;
            }
        } finally {
            nvrtc.nvrtcDestroyProgram(program);
        }
    }

    private static String log(_nvrtcProgram program) {
        try (SizeTPointer size = new SizeTPointer(1)) {
            if (nvrtc.nvrtcGetProgramLogSize(program, size) != nvrtc.NVRTC_SUCCESS || size.get() <= 1) {
                return "";
            }
            byte[] log = new byte[Math.toIntExact(size.get())];
            nvrtc.nvrtcGetProgramLog(program, log);
            return new String(log, 0, log.length - 1, StandardCharsets.UTF_8);
        }
    }
}
