package dev.qrnnstreams.nn.grad;

import dev.qrnnstreams.nn.translate.OutputLayer;
import dev.qrnnstreams.nn.translate.Attention;
import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.QrnnLayer;
import dev.qrnnstreams.nn.kernel.VectorKernels;
import dev.qrnnstreams.nn.translate.QrnnTranslator;
import dev.qrnnstreams.nn.translate.TranslatorSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * Training-time forward and backward pass of a {@link QrnnTranslator} over one sentence pair with
 * teacher forcing, differentiated by hand, plus the output layer over many positions at once.
 *
 * <p>{@link #forward} runs the encoder and the decoder (each layer through {@link QrnnLayerBackprop},
 * the decoder layers with the projected encoder state added to their bias) and the attention, up to the
 * attentional outputs {@code h_t}. {@link OutputLayer#logits} and {@link #outputBackward} apply the output layer to
 * the rows of a whole batch in one product. {@link #backward} takes {@code dL/dh_t} back to every
 * parameter:
 * <pre>
 *   du_t = dh_t * o_t,  do_t = dh_t * u_t                        (u_t = W_k k_t + W_c c_t)
 *   [dk_t; dc_t] = du_t [W_k; W_c]^T,  d[W_k; W_c] += [k_t; c_t]^T du_t
 *   da_st = dk_t . h~_s,  dh~_s += alpha_st dk_t
 *   ds_st = alpha_st (da_st - sum_s' alpha_s't da_s't),  dc_t += sum_s ds_st h~_s,  dh~_s += ds_st c_t
 * </pre>
 * {@code dc_t} and {@code do_t} enter the last decoder layer directly
 * ({@link QrnnLayerBackprop#backward(QrnnLayerBackprop.Tape, float[], float[], float[])}); the gradient of
 * each decoder layer's bias is also the gradient of its projected encoder state, so
 * {@code dV_L += h~_L db_L^T} and {@code dh~_L += V_L db_L}, which enters encoder layer L at its last
 * position.
 */
public final class TranslatorBackprop {

    private TranslatorBackprop() {
    }

    /**
     * What the forward pass keeps.
     *
     * @param translator the parameters that ran
     * @param source source token ids
     * @param targetInput target input ids (BOS then the target tokens but the last)
     * @param encoderTapes per encoder layer
     * @param encoderMasks per encoder layer, its input dropout mask or null
     * @param decoderTapes per decoder layer (run with the per-sequence bias)
     * @param decoderMasks per decoder layer, its input dropout mask or null
     * @param attention {@code T x S} weights alpha
     * @param attended {@code T x 2H}: {@code [k_t; c_t]}
     * @param mixed {@code T x H}: {@code u_t = W_k k_t + W_c c_t}
     * @param outputMask dropout mask of {@code h_t}, or null
     * @param outputs {@code T x H}: {@code h_t} after dropout, what the output layer reads
     */
    public record Tape(QrnnTranslator translator, int[] source, int[] targetInput,
                       List<QrnnLayerBackprop.Tape> encoderTapes, List<float[]> encoderMasks,
                       List<QrnnLayerBackprop.Tape> decoderTapes, List<float[]> decoderMasks, float[] attention,
                       float[] attended, float[] mixed, float[] outputMask, float[] outputs) {

        /** Target positions T. */
        public int targetLength() {
            return targetInput.length;
        }
    }

    /**
     * Runs the translator over one pair with teacher forcing.
     *
     * @param noise dropout and zoneout masks for training, or null for the inference form
     * @throws IllegalArgumentException if either sequence is empty
     */
    public static Tape forward(QrnnTranslator translator, int[] source, int[] targetInput, TrainingNoise noise) {
        if (source.length == 0 || targetInput.length == 0) {
            throw new IllegalArgumentException("source and target input must not be empty");
        }
        TranslatorSpec spec = translator.spec();
        int h = spec.hiddenSize();
        int layers = spec.layers();
        List<QrnnLayerBackprop.Tape> encoderTapes = new ArrayList<>();
        List<float[]> encoderMasks = new ArrayList<>();
        float[] x = translator.sourceEmbedding().lookup(source);
        for (QrnnLayer layer : translator.encoder().layers()) {
            float[] mask = mask(noise, x.length, spec.dropout());
            QrnnLayerBackprop.Tape tape = QrnnLayerBackprop.forward(layer, TrainingNoise.masked(x, mask), noise);
            encoderTapes.add(tape);
            encoderMasks.add(mask);
            x = tape.outputs();
        }
        int s = source.length;
        float[] memory = x;
        List<QrnnLayerBackprop.Tape> decoderTapes = new ArrayList<>();
        List<float[]> decoderMasks = new ArrayList<>();
        float[] y = translator.targetEmbedding().lookup(targetInput);
        for (int l = 0; l < layers; l++) {
            float[] encoderFinal = lastRow(encoderTapes.get(l).outputs(), s, h);
            QrnnLayer layer = translator.decoder().layer(l).withBias(translator.decoderBias(l, encoderFinal));
            float[] mask = mask(noise, y.length, spec.dropout());
            QrnnLayerBackprop.Tape tape = QrnnLayerBackprop.forward(layer, TrainingNoise.masked(y, mask), noise);
            decoderTapes.add(tape);
            decoderMasks.add(mask);
            y = tape.outputs();
        }
        int t = targetInput.length;
        QrnnLayerBackprop.Tape last = decoderTapes.get(layers - 1);
        float[] attention = new float[t * s];
        float[] attended = new float[t * 2 * h];
        Attention.attend(last.cells(), h, memory, s, t, attention, attended);
        float[] mixed = new float[t * h];
        VectorKernels.matmul(attended, t, translator.attentionOutput(), mixed);
        float[] outputs = new float[t * h];
        int n = Pooling.FO.gateCount() * h;
        for (int row = 0; row < t; row++) {
            for (int u = 0; u < h; u++) {
                outputs[row * h + u] = last.gates()[row * n + Pooling.OUTPUT * h + u] * mixed[row * h + u];
            }
        }
        float[] outputMask = mask(noise, outputs.length, spec.dropout());
        return new Tape(translator, source.clone(), targetInput.clone(), List.copyOf(encoderTapes), encoderMasks,
                List.copyOf(decoderTapes), decoderMasks, attention, attended, mixed, outputMask,
                TrainingNoise.masked(outputs, outputMask));
    }

    /**
     * Back-propagates {@code dLogits} through {@link OutputLayer#logits}: adds to the output layer's gradients and
     * returns {@code dL/dhidden} ({@code rows x hiddenSize}).
     */
    public static float[] outputBackward(QrnnTranslator translator, float[] hidden, int rows, float[] dLogits,
                                         TranslatorGradients gradients) {
        int h = translator.spec().hiddenSize();
        int v = translator.spec().targetVocabularySize();
        float[] dHidden = new float[rows * h];
        if (rows == 0) {
            return dHidden;
        }
        gradients.addOuterProducts("output.weights", hidden, dLogits, rows, h, v);
        float[] dBias = gradients.live("output.bias");
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < v; c++) {
                dBias[c] += dLogits[r * v + c];
            }
        }
        VectorKernels.matmul(dLogits, rows, translator.outputWeightsTransposed(), dHidden);
        return dHidden;
    }

    /** Adds the gradients of a loss whose gradient with respect to {@code tape.outputs()} is {@code dOutputs}. */
    public static void backward(Tape tape, float[] dOutputs, TranslatorGradients gradients) {
        QrnnTranslator translator = tape.translator();
        TranslatorSpec spec = translator.spec();
        int h = spec.hiddenSize();
        int layers = spec.layers();
        int s = tape.source().length;
        int t = tape.targetLength();
        int n = Pooling.FO.gateCount() * h;
        if (dOutputs.length != t * h) {
            throw new IllegalArgumentException("dOutputs has " + dOutputs.length + " values, expected " + t * h);
        }
        float[] dh = TrainingNoise.masked(dOutputs, tape.outputMask());
        QrnnLayerBackprop.Tape last = tape.decoderTapes().get(layers - 1);
        float[] dMixed = new float[t * h];
        float[] dGate = new float[t * h];
        for (int row = 0; row < t; row++) {
            for (int u = 0; u < h; u++) {
                int i = row * h + u;
                dMixed[i] = dh[i] * last.gates()[row * n + Pooling.OUTPUT * h + u];
                dGate[i] = dh[i] * tape.mixed()[i];
            }
        }
        gradients.addOuterProducts("attention.output", tape.attended(), dMixed, t, 2 * h, h);
        float[] dAttended = new float[t * 2 * h];
        VectorKernels.matmul(dMixed, t, translator.attentionOutputTransposed(), dAttended);
        float[] memory = tape.encoderTapes().get(layers - 1).outputs();
        float[] dMemory = new float[s * h];
        float[] dCells = new float[t * h];
        float[] alpha = tape.attention();
        float[] dScore = new float[s];
        for (int row = 0; row < t; row++) {
            int k = row * 2 * h;
            int c = (row + 1) * h;
            double weighted = 0;
            for (int j = 0; j < s; j++) {
                float a = alpha[row * s + j];
                float dAlpha = 0f;
                for (int u = 0; u < h; u++) {
                    dAlpha = Math.fma(dAttended[k + u], memory[j * h + u], dAlpha);
                    dMemory[j * h + u] = Math.fma(a, dAttended[k + u], dMemory[j * h + u]);
                }
                dScore[j] = dAlpha;
                weighted += (double) a * dAlpha;
            }
            for (int u = 0; u < h; u++) {
                dCells[row * h + u] = dAttended[k + h + u];
            }
            for (int j = 0; j < s; j++) {
                float ds = (float) (alpha[row * s + j] * (dScore[j] - weighted));
                for (int u = 0; u < h; u++) {
                    dCells[row * h + u] = Math.fma(ds, memory[j * h + u], dCells[row * h + u]);
                    dMemory[j * h + u] = Math.fma(ds, last.cells()[c + u], dMemory[j * h + u]);
                }
            }
        }
        float[][] dEncoderFinal = new float[layers][];
        QrnnLayerBackprop.Deferred layerGradients =
                QrnnLayerBackprop.backwardDeferred(last, new float[t * h], dCells, dGate);
        for (int l = layers - 1; l >= 0; l--) {
            float[] encoderFinal = lastRow(tape.encoderTapes().get(l).outputs(), s, h);
            QrnnLayerBackprop.Tape layerTape = tape.decoderTapes().get(l);
            gradients.addOuterProducts("decoder." + l + ".weights", layerTape.windows(),
                    layerGradients.preActivations(), t, layerTape.layer().spec().convolutionRows(), n);
            addInto(gradients.live("decoder." + l + ".bias"), layerGradients.bias());
            gradients.addOuterProducts("decoder." + l + ".encoderProjection", encoderFinal, layerGradients.bias(), 1,
                    h, n);
            float[] dFinal = new float[h];
            VectorKernels.matmul(layerGradients.bias(), 1, translator.encoderProjectionTransposed(l), dFinal);
            dEncoderFinal[l] = dFinal;
            float[] dInput = TrainingNoise.masked(layerGradients.input(), tape.decoderMasks().get(l));
            if (l > 0) {
                layerGradients = QrnnLayerBackprop.backwardDeferred(tape.decoderTapes().get(l - 1), dInput, null, null);
            } else {
                translator.targetEmbedding().accumulateGradient(tape.targetInput(), dInput,
                        gradients.live("target.embedding"));
            }
        }
        backwardEncoder(tape, dMemory, dEncoderFinal, gradients);
    }

    /**
     * The encoder's share: {@code dMemory} (the gradient of the last encoder layer's outputs through
     * attention) plus, at the last source position of each layer, {@code dEncoderFinal} (through the
     * decoder's projected bias), back to every encoder layer and the source embedding.
     */
    private static void backwardEncoder(Tape tape, float[] dMemory, float[][] dEncoderFinal,
                                        TranslatorGradients gradients) {
        TranslatorSpec spec = tape.translator().spec();
        int h = spec.hiddenSize();
        int s = tape.source().length;
        int n = Pooling.FO.gateCount() * h;
        float[] dLayerOutputs = dMemory;
        for (int l = spec.layers() - 1; l >= 0; l--) {
            for (int u = 0; u < h; u++) {
                dLayerOutputs[(s - 1) * h + u] += dEncoderFinal[l][u];
            }
            QrnnLayerBackprop.Tape layerTape = tape.encoderTapes().get(l);
            QrnnLayerBackprop.Deferred encoderGradients =
                    QrnnLayerBackprop.backwardDeferred(layerTape, dLayerOutputs, null, null);
            gradients.addOuterProducts("encoder." + l + ".weights", layerTape.windows(),
                    encoderGradients.preActivations(), s, layerTape.layer().spec().convolutionRows(), n);
            addInto(gradients.live("encoder." + l + ".bias"), encoderGradients.bias());
            dLayerOutputs = TrainingNoise.masked(encoderGradients.input(), tape.encoderMasks().get(l));
        }
        tape.translator().sourceEmbedding().accumulateGradient(tape.source(), dLayerOutputs,
                gradients.live("source.embedding"));
    }

    private static float[] lastRow(float[] rows, int count, int width) {
        float[] row = new float[width];
        System.arraycopy(rows, (count - 1) * width, row, 0, width);
        return row;
    }

    private static float[] mask(TrainingNoise noise, int length, double p) {
        return noise != null && p > 0 ? noise.dropoutMask(length, p) : null;
    }

    private static void addInto(float[] target, float[] values) {
        for (int i = 0; i < target.length; i++) {
            target[i] += values[i];
        }
    }
}
