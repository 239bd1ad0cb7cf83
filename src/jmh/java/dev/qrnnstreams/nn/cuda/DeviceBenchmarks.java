package dev.qrnnstreams.nn.cuda;

import dev.qrnnstreams.nn.Pooling;
import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;

/**
 * Device-side reference rates for the GPU benchmark, timed with CUDA events on a backend's stream (so
 * the figures are device time, after the device finished): cuBLAS sgemm, device-to-device copy, and the
 * pooling kernel alone.
 *
 * <p>Bandwidth counts every byte read plus every byte written, so a copy of n bytes moves 2n bytes and the
 * pooling kernel's rate is directly comparable with the copy's.
 */
public final class DeviceBenchmarks {

    private DeviceBenchmarks() {
    }

    /**
     * The rate of the pooling kernel alone.
     *
     * @param seconds device time of one launch
     * @param bytes bytes one launch reads and writes: gates and bias in, outputs out, cell and hidden both
     * @param gigabytesPerSecond {@code bytes / seconds / 1e9}
     */
    public record PoolingRate(double seconds, long bytes, double gigabytesPerSecond) {
    }

    /** The driver's and runtime's CUDA versions and the device, e.g. {@code driver 13.0, runtime 13.0, ...}. */
    public static String platform(CudaBackend backend) {
        int[] driver = new int[1];
        int[] runtime = new int[1];
        CudaCalls.check(cudart.cudaDriverGetVersion(driver), "cudaDriverGetVersion");
        CudaCalls.check(cudart.cudaRuntimeGetVersion(runtime), "cudaRuntimeGetVersion");
        return "CUDA driver " + version(driver[0]) + ", runtime " + version(runtime[0]) + ", "
                + backend.deviceDescription();
    }

    /** GFLOP/s of a square {@code size} sgemm (FP32, no TF32), {@code 2 size^3} flops per call. */
    public static double sgemmGflops(CudaBackend backend, int size, int repetitions) {
        backend.bindToThisThread();
        long bytes = (long) size * size * Float.BYTES;
        try (DeviceMemory a = DeviceMemory.device(); DeviceMemory b = DeviceMemory.device();
             DeviceMemory c = DeviceMemory.device(); FloatPointer one = new FloatPointer(1).put(1f);
             FloatPointer zero = new FloatPointer(1).put(0f)) {
            for (DeviceMemory memory : new DeviceMemory[] {a, b, c}) {
                memory.reserve(bytes);
                CudaCalls.check(cudart.cudaMemsetAsync(memory.at(0), 0, bytes, backend.stream()), "cudaMemsetAsync");
            }
            Runnable gemm = () -> CudaCalls.checkBlas(cublas.cublasSgemm_v2(backend.blas(), cublas.CUBLAS_OP_N,
                    cublas.CUBLAS_OP_N, size, size, size, one, new FloatPointer(a.at(0)), size,
                    new FloatPointer(b.at(0)), size, zero, new FloatPointer(c.at(0)), size), "cublasSgemm");
            double seconds = perCall(backend, gemm, repetitions);
            return 2.0 * size * size * size / seconds / 1e9;
        }
    }

    /** GB/s of a device-to-device {@code cudaMemcpyAsync} of {@code bytes}, counting reads and writes. */
    public static double copyGigabytesPerSecond(CudaBackend backend, long bytes, int repetitions) {
        backend.bindToThisThread();
        try (DeviceMemory source = DeviceMemory.device(); DeviceMemory target = DeviceMemory.device()) {
            source.reserve(bytes);
            target.reserve(bytes);
            CudaCalls.check(cudart.cudaMemsetAsync(source.at(0), 0, bytes, backend.stream()), "cudaMemsetAsync");
            Runnable copy = () -> CudaCalls.check(cudart.cudaMemcpyAsync(target.at(0), source.at(0), bytes,
                    cudart.cudaMemcpyDeviceToDevice, backend.stream()), "cudaMemcpyAsync");
            return 2.0 * bytes / perCall(backend, copy, repetitions) / 1e9;
        }
    }

    /**
     * The pooling kernel alone over {@code batch} keys of {@code chunk} timesteps each and {@code hidden}
     * units, on gate pre-activations already on the device (zero: the kernel's work does not depend on
     * the values), zoneout off.
     */
    public static PoolingRate pooling(CudaBackend backend, Pooling pooling, int batch, int chunk, int hidden,
                                      int repetitions) {
        backend.bindToThisThread();
        long rows = (long) batch * chunk;
        long columns = (long) pooling.gateCount() * hidden;
        long units = (long) batch * hidden;
        int[] index = new int[2 * batch];
        for (int s = 0; s < batch; s++) {
            index[s] = s * chunk;
            index[batch + s] = chunk;
        }
        try (DeviceMemory gates = DeviceMemory.device(); DeviceMemory bias = DeviceMemory.device();
             DeviceMemory indices = DeviceMemory.device(); DeviceMemory state = DeviceMemory.device();
             DeviceMemory out = DeviceMemory.device(); IntPointer hostIndex = new IntPointer(index)) {
            gates.reserve(rows * columns * Float.BYTES);
            bias.reserve(columns * Float.BYTES);
            indices.reserve((long) index.length * Integer.BYTES);
            state.reserve(2 * units * Float.BYTES);
            out.reserve(rows * hidden * Float.BYTES);
            CudaCalls.check(cudart.cudaMemsetAsync(gates.at(0), 0, rows * columns * Float.BYTES, backend.stream()),
                    "cudaMemsetAsync");
            CudaCalls.check(cudart.cudaMemsetAsync(bias.at(0), 0, columns * Float.BYTES, backend.stream()),
                    "cudaMemsetAsync");
            CudaCalls.check(cudart.cudaMemsetAsync(state.at(0), 0, 2 * units * Float.BYTES, backend.stream()),
                    "cudaMemsetAsync");
            CudaCalls.check(cudart.cudaMemcpyAsync(indices.at(0), hostIndex, (long) index.length * Integer.BYTES,
                    cudart.cudaMemcpyHostToDevice, backend.stream()), "cudaMemcpyAsync");
            long hiddenAddress = pooling.hasOutputGate() ? state.address() + units * Float.BYTES : state.address();
            Runnable launch = () -> {
                try (CudaBackend.KernelArguments arguments = new CudaBackend.KernelArguments()
                        .pointer(gates.address()).pointer(bias.address())
                        .pointer(indices.address()).pointer(indices.address() + (long) batch * Integer.BYTES)
                        .integer(batch).integer(hidden).real(0f)
                        .pointer(state.address()).pointer(hiddenAddress).pointer(out.address())
                        .integer(0).integer(hidden)) {
                    backend.launch(QrnnKernels.poolingKernel(pooling), Launch.oneThreadPerItem(units), arguments);
                }
            };
            double seconds = perCall(backend, launch, repetitions);
            long stateBytes = (pooling.hasOutputGate() ? 4 : 2) * units * Float.BYTES;
            long bytes = rows * columns * Float.BYTES + columns * Float.BYTES + rows * hidden * Float.BYTES
                    + stateBytes;
            return new PoolingRate(seconds, bytes, bytes / seconds / 1e9);
        }
    }

    /** Device seconds per call of {@code work}, after one warm-up call, timed with events on the stream. */
    private static double perCall(CudaBackend backend, Runnable work, int repetitions) {
        if (repetitions < 1) {
            throw new IllegalArgumentException("repetitions must be at least 1, was " + repetitions);
        }
        work.run();
        CUevent_st start = new CUevent_st();
        CUevent_st stop = new CUevent_st();
        CudaCalls.check(cudart.cudaEventCreate(start), "cudaEventCreate");
        try {
            CudaCalls.check(cudart.cudaEventCreate(stop), "cudaEventCreate");
            try {
                CudaCalls.check(cudart.cudaEventRecord(start, backend.stream()), "cudaEventRecord");
                for (int r = 0; r < repetitions; r++) {
                    work.run();
                }
                CudaCalls.check(cudart.cudaEventRecord(stop, backend.stream()), "cudaEventRecord");
                CudaCalls.check(cudart.cudaEventSynchronize(stop), "cudaEventSynchronize");
                float[] milliseconds = new float[1];
                CudaCalls.check(cudart.cudaEventElapsedTime(milliseconds, start, stop), "cudaEventElapsedTime");
                return milliseconds[0] / 1e3 / repetitions;
            } finally {
                CudaCalls.check(cudart.cudaEventDestroy(stop), "cudaEventDestroy");
            }
        } finally {
            CudaCalls.check(cudart.cudaEventDestroy(start), "cudaEventDestroy");
        }
    }

    private static String version(int encoded) {
        return encoded / 1000 + "." + encoded % 1000 / 10;
    }
}
