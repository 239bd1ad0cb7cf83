package dev.qrnnstreams.nn.cuda;

import dev.qrnnstreams.nn.QrnnBackend;
import dev.qrnnstreams.nn.QrnnLayer;
import dev.qrnnstreams.nn.QrnnLayerSpec;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.StepResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * A {@link QrnnBackend} on an NVIDIA GPU: per layer, one cuBLAS sgemm multiplies the convolution windows
 * of every timestep of every key in the batch by the packed weight, and an NVRTC-compiled kernel
 * activates and pools with one thread per (key, hidden unit) walking that key's timesteps (Bradbury et
 * al. 2017, equations 1 to 4, as {@code PoolingKernels} computes them on the CPU).
 *
 * <p>Per batch: every key's state and chunk are gathered into page-locked staging memory and copied
 * to the device at once; all layers run on the device; the new states and the outputs come back in one
 * copy each (see {@link BatchPlan} for the layouts). Device buffers are plain {@code cudaMalloc}
 * allocations, grown when a batch needs more and otherwise reused; each stack's weights are uploaded
 * once and kept for the {@value #CACHED_STACKS} most recently used stacks. Every CUDA, cuBLAS and NVRTC
 * status is checked and a failure throws {@link CudaException}.
 *
 * <p>{@link #open()} throws {@link CudaUnavailableException} where there is no driver, library or
 * device; {@code inference.BackendFactory} turns that into a fallback to the CPU.
 *
 * <p>Confined to one thread at a time, like every backend: the CUDA stream, staging buffers and kernel
 * arguments are shared state. Close it to free device memory.
 */
public final class CudaBackend implements QrnnBackend {
    /** Stacks whose weights stay on the device between batches. */
    static final int CACHED_STACKS = 4;

    private final int device;
    private final int computeMajor;
    private final int computeMinor;
    private final String deviceName;
    private final CUstream_st stream = new CUstream_st();
    private final cublasContext blas = new cublasContext();
    private final CUmod_st module = new CUmod_st();
    private final Map<String, CUfunc_st> functions = new HashMap<>();
    private final FloatPointer one = new FloatPointer(1).put(1f);
    private final FloatPointer zero = new FloatPointer(1).put(0f);
    private final DeviceMemory[] activations = {DeviceMemory.device(), DeviceMemory.device()};
    private final DeviceMemory windows = DeviceMemory.device();
    private final DeviceMemory gates = DeviceMemory.device();
    private final DeviceMemory state = DeviceMemory.device();
    private final DeviceMemory index = DeviceMemory.device();
    private final DeviceMemory stateHost = DeviceMemory.pinnedHost();
    private final DeviceMemory inputHost = DeviceMemory.pinnedHost();
    private final DeviceMemory outputHost = DeviceMemory.pinnedHost();
    private final DeviceMemory indexHost = DeviceMemory.pinnedHost();
    private final Map<QrnnStack, DeviceWeights> weights = new LinkedHashMap<>(8, 0.75f, true);
    private final Kernels kernels = new Kernels();
    private boolean streamCreated;
    private boolean blasCreated;
    private boolean moduleLoaded;
    private boolean closed;

    private CudaBackend(int device) {
        this.device = device;
        this.computeMajor = attribute(cudart.cudaDevAttrComputeCapabilityMajor, device);
        this.computeMinor = attribute(cudart.cudaDevAttrComputeCapabilityMinor, device);
        try (BytePointer name = new BytePointer(256)) {
            CudaCalls.checkDriver(cudart.cuDeviceGetName(name, 256, device), "cuDeviceGetName");
            this.deviceName = name.getString();
        }
    }

    /** Opens device 0. */
    public static CudaBackend open() {
        return open(0);
    }

    /**
     * Opens a device: loads the CUDA libraries, compiles the kernels for its architecture with NVRTC and
     * creates a stream and a cuBLAS handle.
     *
     * @throws CudaUnavailableException if the libraries cannot be loaded or no usable device is found
     * @throws IllegalArgumentException if there is no device of that number
     * @throws CudaException if a CUDA call fails while setting up
     */
    public static CudaBackend open(int device) {
        CudaCalls.loadRuntime();
        int[] count = new int[1];
        int status = cudart.cudaGetDeviceCount(count);
        if (status != cudart.cudaSuccess) {
            throw new CudaUnavailableException("no usable CUDA device: cudaGetDeviceCount returned "
                    + CudaCalls.runtimeError(status) + "; " + CudaCalls.INSTALL_HINT, null);
        }
        if (count[0] == 0) {
            throw new CudaUnavailableException("the CUDA driver reports no device; " + CudaCalls.INSTALL_HINT, null);
        }
        if (device < 0 || device >= count[0]) {
            throw new IllegalArgumentException("device " + device + " does not exist; " + count[0] + " found");
        }
        CudaCalls.check(cudart.cudaSetDevice(device), "cudaSetDevice(" + device + ")");
        CudaCalls.check(cudart.cudaFree(null), "cudaFree(null) (creating the primary context)");
        CudaCalls.checkDriver(cudart.cuInit(0), "cuInit");
        CudaCalls.loadBlas();
        CudaBackend backend = new CudaBackend(device);
        try {
            backend.start(QrnnKernels.compileCubin(backend.computeMajor, backend.computeMinor));
            return backend;
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    private void start(byte[] cubin) {
        CudaCalls.check(cudart.cudaStreamCreate(stream), "cudaStreamCreate");
        streamCreated = true;
        CudaCalls.checkBlas(cublas.cublasCreate_v2(blas), "cublasCreate");
        blasCreated = true;
        CudaCalls.checkBlas(cublas.cublasSetStream_v2(blas, stream), "cublasSetStream");
        CudaCalls.checkBlas(cublas.cublasSetMathMode(blas, cublas.CUBLAS_DEFAULT_MATH), "cublasSetMathMode");
        try (BytePointer image = new BytePointer(cubin)) {
            CudaCalls.checkDriver(cudart.cuModuleLoadData(module, image), "cuModuleLoadData");
        }
        moduleLoaded = true;
        for (String name : QrnnKernels.kernelNames()) {
            CUfunc_st function = new CUfunc_st();
            CudaCalls.checkDriver(cudart.cuModuleGetFunction(function, module, name), "cuModuleGetFunction " + name);
            functions.put(name, function);
        }
    }

    @Override
    public List<StepResult> step(QrnnStack stack, List<QrnnState> states, List<float[]> chunks) {
        requireOpen();
        BatchPlan plan = BatchPlan.of(stack, states, chunks);
        if (plan.batch() == 0) {
            return List.of();
        }
        bindToThisThread();
        kernels.weights = weightsOf(stack);
        return StackPass.run(plan, states, chunks, kernels);
    }

    /** The device's name, number and compute capability, e.g. {@code NVIDIA H100 80GB HBM3 (0, sm_90)}. */
    public String deviceDescription() {
        return deviceName + " (" + device + ", sm_" + computeMajor + computeMinor + ")";
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (streamCreated) {
            bindToThisThread();
        }
        weights.values().forEach(DeviceWeights::close);
        weights.clear();
        for (DeviceMemory memory : List.of(activations[0], activations[1], windows, gates, state, index,
                stateHost, inputHost, outputHost, indexHost)) {
            memory.close();
        }
        if (moduleLoaded) {
            CudaCalls.checkDriver(cudart.cuModuleUnload(module), "cuModuleUnload");
        }
        if (blasCreated) {
            CudaCalls.checkBlas(cublas.cublasDestroy_v2(blas), "cublasDestroy");
        }
        if (streamCreated) {
            CudaCalls.check(cudart.cudaStreamDestroy(stream), "cudaStreamDestroy");
        }
        one.close();
        zero.close();
    }

    CUstream_st stream() {
        return stream;
    }

    cublasContext blas() {
        return blas;
    }

    /** Launches a kernel of the module on the backend's stream. */
    void launch(String kernel, Launch geometry, KernelArguments arguments) {
        CUfunc_st function = functions.get(kernel);
        if (function == null) {
            throw new IllegalArgumentException("no kernel " + kernel);
        }
        try (PointerPointer<Pointer> parameters = arguments.parameters()) {
            CudaCalls.checkDriver(cudart.cuLaunchKernel(function, geometry.blocks(), 1, 1, geometry.threadsPerBlock(),
                    1, 1, 0, stream, parameters, (PointerPointer<?>) null), "cuLaunchKernel " + kernel);
        }
    }

    /**
     * Makes this backend's device, and with it its primary context, current on the calling thread: a
     * thread the backend has not run on before would otherwise use device 0 and have no context for the
     * driver API's kernel launches.
     */
    void bindToThisThread() {
        CudaCalls.check(cudart.cudaSetDevice(device), "cudaSetDevice(" + device + ")");
    }

    /** Waits for all work on the backend's stream and reports any error it raised. */
    void synchronize() {
        CudaCalls.check(cudart.cudaStreamSynchronize(stream), "cudaStreamSynchronize");
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the CUDA backend is closed");
        }
    }

    private DeviceWeights weightsOf(QrnnStack stack) {
        DeviceWeights cached = weights.get(stack);
        if (cached != null) {
            return cached;
        }
        if (weights.size() >= CACHED_STACKS) {
            QrnnStack eldest = weights.keySet().iterator().next();
            weights.remove(eldest).close();
        }
        DeviceWeights uploaded = DeviceWeights.upload(stack);
        weights.put(stack, uploaded);
        return uploaded;
    }

    private static int attribute(int attribute, int device) {
        int[] value = new int[1];
        CudaCalls.check(cudart.cudaDeviceGetAttribute(value, attribute, device), "cudaDeviceGetAttribute");
        return value[0];
    }

    /** One stack's packed weights and biases on the device, layer after layer. */
    private static final class DeviceWeights implements AutoCloseable {
        private final DeviceMemory memory = DeviceMemory.device();
        private final long[] weightOffsets;
        private final long[] biasOffsets;

        private DeviceWeights(int layers) {
            weightOffsets = new long[layers];
            biasOffsets = new long[layers];
        }

        static DeviceWeights upload(QrnnStack stack) {
            List<QrnnLayer> layers = stack.layers();
            DeviceWeights uploaded = new DeviceWeights(layers.size());
            long floats = 0;
            for (int l = 0; l < layers.size(); l++) {
                QrnnLayerSpec spec = layers.get(l).spec();
                uploaded.weightOffsets[l] = floats;
                floats += (long) spec.convolutionRows() * spec.convolutionColumns();
                uploaded.biasOffsets[l] = floats;
                floats += spec.convolutionColumns();
            }
            try {
                uploaded.memory.reserve(floats * Float.BYTES);
                for (int l = 0; l < layers.size(); l++) {
                    copyIn(uploaded.memory, uploaded.weightOffsets[l], layers.get(l).packedWeights());
                    copyIn(uploaded.memory, uploaded.biasOffsets[l], layers.get(l).bias());
                }
                return uploaded;
            } catch (RuntimeException e) {
                uploaded.close();
                throw e;
            }
        }

        private static void copyIn(DeviceMemory memory, long offset, float[] values) {
            try (FloatPointer host = new FloatPointer(values)) {
                CudaCalls.check(cudart.cudaMemcpy(memory.at(offset * Float.BYTES), host, (long) values.length * Float.BYTES,
                        cudart.cudaMemcpyHostToDevice), "cudaMemcpy (weights)");
            }
        }

        long weights(int layer) {
            return memory.address() + weightOffsets[layer] * Float.BYTES;
        }

        long bias(int layer) {
            return memory.address() + biasOffsets[layer] * Float.BYTES;
        }

        @Override
        public void close() {
            memory.close();
        }
    }

    /** The pass's operations on this device: the launches, copies and products {@link StackPass} issues. */
    private final class Kernels implements LayerKernels {
        private DeviceWeights weights;

        @Override
        public void reserve(BatchPlan plan) {
            long rows = plan.rows();
            activations[0].reserve(rows * plan.activationWidth() * Float.BYTES);
            activations[1].reserve(rows * plan.activationWidth() * Float.BYTES);
            windows.reserve(rows * plan.windowWidth() * Float.BYTES);
            gates.reserve(rows * plan.gateWidth() * Float.BYTES);
            state.reserve(plan.stateFloats() * Float.BYTES);
            index.reserve((long) plan.indexInts() * Integer.BYTES);
            stateHost.reserve(plan.stateFloats() * Float.BYTES);
            inputHost.reserve(rows * plan.stack().inputSize() * Float.BYTES);
            outputHost.reserve(rows * plan.stack().outputSize() * Float.BYTES);
            indexHost.reserve((long) plan.indexInts() * Integer.BYTES);
        }

        @Override
        public BatchPlan.FloatSink stateStaging() {
            return sink(stateHost);
        }

        @Override
        public BatchPlan.FloatSink inputStaging() {
            return sink(inputHost);
        }

        @Override
        public void upload(BatchPlan plan) {
            int[] indices = plan.index();
            new IntPointer(indexHost.at(0)).put(indices, 0, indices.length);
            copy(index.at(0), indexHost.at(0), (long) indices.length * Integer.BYTES, cudart.cudaMemcpyHostToDevice);
            copy(state.at(0), stateHost.at(0), plan.uploadedStateFloats() * Float.BYTES, cudart.cudaMemcpyHostToDevice);
            copy(activations[0].at(0), inputHost.at(0), (long) plan.rows() * plan.stack().inputSize() * Float.BYTES,
                    cudart.cudaMemcpyHostToDevice);
        }

        @Override
        public void layOutWindows(BatchPlan plan, int layer, int source) {
            QrnnLayerSpec spec = plan.spec(layer);
            long items = (long) plan.rows() * spec.convolutionRows();
            if (items == 0) {
                return;
            }
            try (KernelArguments arguments = new KernelArguments()
                    .pointer(activations[source].address())
                    .pointer(floatAddress(state, plan.carriedInOffset(layer)))
                    .pointer(intAddress(index, plan.rowSequenceOffset()))
                    .pointer(intAddress(index, plan.firstRowOffset()))
                    .integer(plan.rows()).integer(spec.inputSize()).integer(spec.window())
                    .pointer(windows.address())) {
                launch(QrnnKernels.WINDOWS, Launch.gridStride(items), arguments);
            }
        }

        @Override
        public void project(BatchPlan plan, int layer) {
            QrnnLayerSpec spec = plan.spec(layer);
            int columns = spec.convolutionColumns();
            int depth = spec.convolutionRows();
            CudaCalls.checkBlas(cublas.cublasSgemm_v2(blas, cublas.CUBLAS_OP_N, cublas.CUBLAS_OP_N, columns, plan.rows(),
                    depth, one, new FloatPointer(new DeviceAddress(weights.weights(layer))), columns,
                    new FloatPointer(windows.at(0)), depth, zero, new FloatPointer(gates.at(0)), columns),
                    "cublasSgemm (layer " + layer + ")");
        }

        @Override
        public void copyColumns(BatchPlan plan, int source, int sourceStride, int target, int targetStride, int width) {
            if (plan.rows() == 0) {
                return;
            }
            CudaCalls.check(cudart.cudaMemcpy2DAsync(activations[target].at(0), (long) targetStride * Float.BYTES,
                    activations[source].at(0), (long) sourceStride * Float.BYTES, (long) width * Float.BYTES, plan.rows(),
                    cudart.cudaMemcpyDeviceToDevice, stream), "cudaMemcpy2DAsync (dense columns)");
        }

        @Override
        public void pool(BatchPlan plan, int layer, int target, int offset, int stride) {
            QrnnLayerSpec spec = plan.spec(layer);
            long threads = (long) plan.batch() * spec.hiddenSize();
            try (KernelArguments arguments = new KernelArguments()
                    .pointer(gates.address())
                    .pointer(weights.bias(layer))
                    .pointer(intAddress(index, plan.firstRowOffset()))
                    .pointer(intAddress(index, plan.lengthOffset()))
                    .integer(plan.batch()).integer(spec.hiddenSize()).real((float) spec.zoneout())
                    .pointer(floatAddress(state, plan.cellOffset(layer)))
                    .pointer(floatAddress(state, plan.hiddenOffset(layer)))
                    .pointer(activations[target].address())
                    .integer(offset).integer(stride)) {
                launch(QrnnKernels.poolingKernel(spec.pooling()), Launch.oneThreadPerItem(threads), arguments);
            }
        }

        @Override
        public void carry(BatchPlan plan, int layer, int source) {
            QrnnLayerSpec spec = plan.spec(layer);
            long items = (long) plan.batch() * spec.carriedInputs() * spec.inputSize();
            if (items == 0) {
                return;
            }
            try (KernelArguments arguments = new KernelArguments()
                    .pointer(activations[source].address())
                    .pointer(floatAddress(state, plan.carriedInOffset(layer)))
                    .pointer(intAddress(index, plan.firstRowOffset()))
                    .pointer(intAddress(index, plan.lengthOffset()))
                    .integer(plan.batch()).integer(spec.inputSize()).integer(spec.window())
                    .pointer(floatAddress(state, plan.carriedOutOffset(layer)))) {
                launch(QrnnKernels.CARRY, Launch.gridStride(items), arguments);
            }
        }

        @Override
        public void download(BatchPlan plan, int source, int offset, int stride) {
            long from = plan.downloadedStateFrom() * Float.BYTES;
            copy(stateHost.at(from), state.at(from), plan.stateFloats() * Float.BYTES - from,
                    cudart.cudaMemcpyDeviceToHost);
            int width = plan.stack().outputSize();
            if (plan.rows() > 0) {
                CudaCalls.check(cudart.cudaMemcpy2DAsync(outputHost.at(0), (long) width * Float.BYTES,
                        activations[source].at((long) offset * Float.BYTES), (long) stride * Float.BYTES,
                        (long) width * Float.BYTES, plan.rows(), cudart.cudaMemcpyDeviceToHost, stream),
                        "cudaMemcpy2DAsync (outputs)");
            }
            synchronize();
        }

        @Override
        public BatchPlan.FloatSource stateResult() {
            return source(stateHost);
        }

        @Override
        public BatchPlan.FloatSource outputResult() {
            return source(outputHost);
        }

        private void copy(Pointer target, Pointer source, long bytes, int kind) {
            if (bytes > 0) {
                CudaCalls.check(cudart.cudaMemcpyAsync(target, source, bytes, kind, stream), "cudaMemcpyAsync");
            }
        }
    }

    private static BatchPlan.FloatSink sink(DeviceMemory host) {
        return (offset, values, from, length) -> {
            if (length > 0) {
                new FloatPointer(host.at(offset * Float.BYTES)).put(values, from, length);
            }
        };
    }

    private static BatchPlan.FloatSource source(DeviceMemory host) {
        return (offset, values, from, length) -> {
            if (length > 0) {
                new FloatPointer(host.at(offset * Float.BYTES)).get(values, from, length);
            }
        };
    }

    private static long floatAddress(DeviceMemory memory, long offset) {
        return memory.address() + offset * Float.BYTES;
    }

    private static long intAddress(DeviceMemory memory, long offset) {
        return memory.address() + offset * Integer.BYTES;
    }

    /** The values of one kernel launch's arguments, each in its own small native cell, freed on close. */
    static final class KernelArguments implements AutoCloseable {
        private final List<Pointer> cells = new ArrayList<>();

        /** A device pointer argument. */
        KernelArguments pointer(long address) {
            cells.add(new LongPointer(1).put(address));
            return this;
        }

        /** An {@code int} argument. */
        KernelArguments integer(int value) {
            cells.add(new IntPointer(1).put(value));
            return this;
        }

        /** A {@code float} argument. */
        KernelArguments real(float value) {
            cells.add(new FloatPointer(1).put(value));
            return this;
        }

        /** The {@code void**} array {@code cuLaunchKernel} reads; close it after the launch. */
        PointerPointer<Pointer> parameters() {
            return new PointerPointer<>(cells.toArray(new Pointer[0]));
        }

        @Override
        public void close() {
            cells.forEach(Pointer::close);
        }
    }

    /** A raw device address without JavaCPP ownership. */
    private static final class DeviceAddress extends Pointer {
        DeviceAddress(long address) {
            this.address = address;
        }
    }
}
