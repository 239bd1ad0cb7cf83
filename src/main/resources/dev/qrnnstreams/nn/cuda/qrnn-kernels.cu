// QRNN inference kernels for dev.qrnnstreams.nn.cuda.CudaBackend, compiled at run time with NVRTC.
//
// Bradbury, Merity, Xiong, Socher, "Quasi-Recurrent Neural Networks", ICLR 2017, equations 1 to 4.
// Layouts (all row-major float32; one row per timestep of the batch, sequence after sequence):
//   input    rows x inputSize           a layer's input, row firstRow[s] + t is timestep t of sequence s
//   carried  batch x (window-1) x inputSize, the last window-1 inputs of each sequence, oldest first
//   windows  rows x (window * inputSize) row = [x_{t-k+1}; ...; x_t]
//   gates    rows x (gates * hidden)     pre-activations, gates in the order Z, F, O, I
// These mirror dev.qrnnstreams.nn.PoolingKernels and CpuStackRunner exactly, including the
// sigmoid as 0.5 + 0.5 tanh(x / 2) and the inference form of zoneout f' = p + (1 - p) f.

extern "C" __global__ void qrnn_windows(const float* __restrict__ input, const float* __restrict__ carried,
                                        const int* __restrict__ rowSequence, const int* __restrict__ firstRow,
                                        int rows, int inputSize, int window, float* __restrict__ windows) {
    long long width = (long long) window * inputSize;
    long long total = rows * width;
    for (long long idx = (long long) blockIdx.x * blockDim.x + threadIdx.x; idx < total;
         idx += (long long) gridDim.x * blockDim.x) {
        int row = (int) (idx / width);
        int column = (int) (idx - row * width);
        int tap = column / inputSize;
        int feature = column - tap * inputSize;
        int sequence = rowSequence[row];
        int first = firstRow[sequence];
        int source = row - first - (window - 1) + tap;
        windows[idx] = source < 0
                ? carried[((long long) sequence * (window - 1) + source + window - 1) * inputSize + feature]
                : input[((long long) first + source) * inputSize + feature];
    }
}

extern "C" __global__ void qrnn_carry(const float* __restrict__ input, const float* __restrict__ carried,
                                      const int* __restrict__ firstRow, const int* __restrict__ lengths,
                                      int batch, int inputSize, int window, float* __restrict__ nextCarried) {
    int keep = window - 1;
    long long perSequence = (long long) keep * inputSize;
    long long total = batch * perSequence;
    for (long long idx = (long long) blockIdx.x * blockDim.x + threadIdx.x; idx < total;
         idx += (long long) gridDim.x * blockDim.x) {
        int sequence = (int) (idx / perSequence);
        int rest = (int) (idx - sequence * perSequence);
        int r = rest / inputSize;
        int feature = rest - r * inputSize;
        int source = lengths[sequence] + r;
        nextCarried[idx] = source < keep
                ? carried[((long long) sequence * keep + source) * inputSize + feature]
                : input[((long long) firstRow[sequence] + source - keep) * inputSize + feature];
    }
}

__device__ __forceinline__ float qrnn_sigmoid(float x) {
    return fmaf(tanhf(0.5f * x), 0.5f, 0.5f);
}

// One thread per (sequence, hidden unit), walking the sequence's timesteps in order. Threads of a warp
// hold consecutive units of one sequence, so every gate load and output store is coalesced.
template <int GATES>
__device__ __forceinline__ void qrnn_pool(const float* __restrict__ gates, const float* __restrict__ bias,
                                          const int* __restrict__ firstRow, const int* __restrict__ lengths,
                                          int batch, int hidden, float zoneout, float* cell, float* hiddenState,
                                          float* __restrict__ out, int outOffset, int outStride) {
    long long idx = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (idx >= (long long) batch * hidden) {
        return;
    }
    int sequence = (int) (idx / hidden);
    int u = (int) (idx - (long long) sequence * hidden);
    int columns = GATES * hidden;
    float biasZ = bias[u];
    float biasF = bias[hidden + u];
    float biasO = GATES >= 3 ? bias[2 * hidden + u] : 0.0f;
    float biasI = GATES >= 4 ? bias[3 * hidden + u] : 0.0f;
    float keep = 1.0f - zoneout;
    float c = cell[idx];
    float h = hiddenState[idx];
    int first = firstRow[sequence];
    int length = lengths[sequence];
    for (int t = 0; t < length; t++) {
        long long row = first + t;
        const float* pre = gates + row * columns;
        float z = tanhf(pre[u] + biasZ);
        float f = qrnn_sigmoid(pre[hidden + u] + biasF);
        if (zoneout > 0.0f) {
            f = fmaf(f, keep, zoneout);
        }
        if (GATES == 4) {
            c = f * c + qrnn_sigmoid(pre[3 * hidden + u] + biasI) * z;
        } else {
            c = fmaf(c, f, (1.0f - f) * z);
        }
        h = GATES >= 3 ? qrnn_sigmoid(pre[2 * hidden + u] + biasO) * c : c;
        out[row * outStride + outOffset + u] = h;
    }
    cell[idx] = c;
    hiddenState[idx] = h;
}

extern "C" __global__ void qrnn_pool_f(const float* gates, const float* bias, const int* firstRow,
                                       const int* lengths, int batch, int hidden, float zoneout, float* cell,
                                       float* hiddenState, float* out, int outOffset, int outStride) {
    qrnn_pool<2>(gates, bias, firstRow, lengths, batch, hidden, zoneout, cell, hiddenState, out, outOffset,
                 outStride);
}

extern "C" __global__ void qrnn_pool_fo(const float* gates, const float* bias, const int* firstRow,
                                        const int* lengths, int batch, int hidden, float zoneout, float* cell,
                                        float* hiddenState, float* out, int outOffset, int outStride) {
    qrnn_pool<3>(gates, bias, firstRow, lengths, batch, hidden, zoneout, cell, hiddenState, out, outOffset,
                 outStride);
}

extern "C" __global__ void qrnn_pool_ifo(const float* gates, const float* bias, const int* firstRow,
                                         const int* lengths, int batch, int hidden, float zoneout, float* cell,
                                         float* hiddenState, float* out, int outOffset, int outStride) {
    qrnn_pool<4>(gates, bias, firstRow, lengths, batch, hidden, zoneout, cell, hiddenState, out, outOffset,
                 outStride);
}
