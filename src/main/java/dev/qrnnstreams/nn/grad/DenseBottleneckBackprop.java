package dev.qrnnstreams.nn.grad;

import dev.qrnnstreams.nn.DenseBottleneck;

/**
 * The backward pass of {@link DenseBottleneck}: with {@code y = tanh(x W + b)} and the loss gradient
 * {@code dy}, {@code dz = dy (1 - y^2)}, {@code dW += x^T dz} and {@code db += sum_rows dz}. The input
 * gradient is not formed: the bottleneck reads a fixed projection.
 */
public final class DenseBottleneckBackprop {

    private DenseBottleneckBackprop() {
    }

    /**
     * Adds the gradients of {@code rows} rows to {@code dWeights} (row-major {@code inputSize x
     * outputSize}) and {@code dBias}.
     *
     * @param inputs the rows the forward pass read, {@code rows x inputSize}
     * @param outputs the rows it returned, {@code rows x outputSize}
     * @param dOutputs the loss gradient of {@code outputs}
     */
    public static void accumulate(DenseBottleneck layer, float[] inputs, float[] outputs, float[] dOutputs, int rows,
                                  float[] dWeights, float[] dBias) {
        int in = layer.inputSize();
        int out = layer.outputSize();
        if (inputs.length != rows * in || outputs.length != rows * out || dOutputs.length != rows * out
                || dWeights.length != in * out || dBias.length != out) {
            throw new IllegalArgumentException("shapes do not match a " + in + " x " + out + " layer over " + rows
                    + " rows");
        }
        float[] dPre = new float[out];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < out; j++) {
                float y = outputs[r * out + j];
                dPre[j] = dOutputs[r * out + j] * (1f - y * y);
                dBias[j] += dPre[j];
            }
            for (int i = 0; i < in; i++) {
                float x = inputs[r * in + i];
                if (x == 0f) {
                    continue;
                }
                int row = i * out;
                for (int j = 0; j < out; j++) {
                    dWeights[row + j] = Math.fma(x, dPre[j], dWeights[row + j]);
                }
            }
        }
    }
}
