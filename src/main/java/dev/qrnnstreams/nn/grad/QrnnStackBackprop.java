package dev.qrnnstreams.nn.grad;

import dev.qrnnstreams.nn.QrnnLayer;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.nn.kernel.Chunks;

import java.util.ArrayList;
import java.util.List;

/**
 * Training-time forward and backward pass of a QRNN stack over one sequence from the zero state:
 * {@link QrnnLayerBackprop} per layer, input dropout per layer, and the dense connections of
 * {@link QrnnStackSpec} (layer l reads {@code [x; h_1; ...; h_{l-1}]}, so its input gradient splits
 * back into the gradient of the stack input and of every earlier layer's outputs).
 */
public final class QrnnStackBackprop {

    private QrnnStackBackprop() {
    }

    /**
     * What the forward pass keeps.
     *
     * @param stack the stack that ran
     * @param layers each layer's tape, first to last
     * @param dropoutMasks each layer's input dropout mask, or null where the layer had no dropout
     * @param outputs {@code T x hiddenSize}: the last layer's outputs
     */
    public record Tape(QrnnStack stack, List<QrnnLayerBackprop.Tape> layers, List<float[]> dropoutMasks,
                       float[] outputs) {
    }

    /**
     * Gradients of a scalar loss.
     *
     * @param layers per layer, first to last
     * @param input {@code T x inputSize}: the gradient of the stack input (for the embedding)
     */
    public record Gradients(List<QrnnLayerBackprop.Gradients> layers, float[] input) {
    }

    /**
     * Runs the stack over {@code input} ({@code T x inputSize}).
     *
     * @param noise dropout and zoneout masks for training, or null for the inference form
     */
    public static Tape forward(QrnnStack stack, float[] input, TrainingNoise noise) {
        int steps = Chunks.timesteps(input, stack.inputSize());
        List<QrnnLayerBackprop.Tape> tapes = new ArrayList<>();
        List<float[]> masks = new ArrayList<>();
        float[] layerInput = input;
        for (QrnnLayer layer : stack.layers()) {
            double dropout = layer.spec().dropout();
            float[] mask = noise != null && dropout > 0 ? noise.dropoutMask(layerInput.length, dropout) : null;
            QrnnLayerBackprop.Tape tape = QrnnLayerBackprop.forward(layer, TrainingNoise.masked(layerInput, mask), noise);
            tapes.add(tape);
            masks.add(mask);
            layerInput = stack.spec().dense()
                    ? Chunks.concatenateRows(layerInput, layer.spec().inputSize(), tape.outputs(),
                            layer.spec().hiddenSize(), steps)
                    : tape.outputs();
        }
        return new Tape(stack, List.copyOf(tapes), masks, tapes.get(tapes.size() - 1).outputs());
    }

    /** Back-propagates {@code dOutputs} ({@code T x hiddenSize}) through the pass that recorded {@code tape}. */
    public static Gradients backward(Tape tape, float[] dOutputs) {
        QrnnStackSpec spec = tape.stack().spec();
        int layers = tape.layers().size();
        int h = spec.hiddenSize();
        int d = spec.inputSize();
        int steps = tape.layers().get(0).timesteps();
        float[][] dLayerOutputs = new float[layers][];
        dLayerOutputs[layers - 1] = dOutputs.clone();
        float[] dInput = new float[steps * d];
        QrnnLayerBackprop.Gradients[] gradients = new QrnnLayerBackprop.Gradients[layers];
        for (int l = layers - 1; l >= 0; l--) {
            float[] dOut = dLayerOutputs[l] == null ? new float[steps * h] : dLayerOutputs[l];
            gradients[l] = QrnnLayerBackprop.backward(tape.layers().get(l), dOut);
            float[] dLayerInput = TrainingNoise.masked(gradients[l].input(), tape.dropoutMasks().get(l));
            if (!spec.dense()) {
                if (l == 0) {
                    dInput = dLayerInput;
                } else {
                    dLayerOutputs[l - 1] = dLayerInput;
                }
                continue;
            }
            int width = spec.layerInputSize(l);
            addColumns(dLayerInput, width, 0, dInput, d, steps);
            for (int j = 0; j < l; j++) {
                if (dLayerOutputs[j] == null) {
                    dLayerOutputs[j] = new float[steps * h];
                }
                addColumns(dLayerInput, width, d + j * h, dLayerOutputs[j], h, steps);
            }
        }
        return new Gradients(List.of(gradients), dInput);
    }

    /** {@code target[t] += source[t][from .. from + targetWidth)} for every row t. */
    private static void addColumns(float[] source, int sourceWidth, int from, float[] target, int targetWidth,
                                   int rows) {
        for (int t = 0; t < rows; t++) {
            for (int c = 0; c < targetWidth; c++) {
                target[t * targetWidth + c] += source[t * sourceWidth + from + c];
            }
        }
    }
}
