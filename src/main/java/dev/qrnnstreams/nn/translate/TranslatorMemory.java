package dev.qrnnstreams.nn.translate;

import dev.qrnnstreams.nn.LayerState;
import dev.qrnnstreams.nn.QrnnState;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a translator's decoder reads of an encoded source segment: the encoder's last-layer outputs
 * {@code h~_1 .. h~_S}, attended over, and each encoder layer's last hidden state {@code h~_S}, projected
 * into the decoder layer of the same index.
 *
 * <p>A streaming service keeps, per key, the encoder's {@link QrnnState} and the outputs of the current
 * segment's messages concatenated; at the end of the segment {@link #of} makes the memory from them.
 *
 * @param outputs {@code length x hiddenSize}, row-major
 * @param length S, at least 1
 * @param finalHidden per encoder layer, first to last, its hidden state after the last source token
 */
public record TranslatorMemory(float[] outputs, int length, List<float[]> finalHidden) {

    /** Validates the shapes. */
    public TranslatorMemory {
        Objects.requireNonNull(outputs, "outputs");
        finalHidden = List.copyOf(finalHidden);
        if (length < 1 || finalHidden.isEmpty() || outputs.length != length * finalHidden.get(0).length) {
            throw new IllegalArgumentException("a memory needs at least one source position and outputs of "
                    + "length x hiddenSize values");
        }
    }

    /**
     * The memory after a segment: {@code state} is the encoder's state after its last token and
     * {@code segmentOutputs} the encoder's outputs over the segment's tokens, in order.
     */
    public static TranslatorMemory of(QrnnState state, float[] segmentOutputs) {
        List<float[]> finals = new ArrayList<>();
        for (LayerState layer : state.layers()) {
            finals.add(layer.hidden());
        }
        int hidden = finals.get(finals.size() - 1).length;
        return new TranslatorMemory(segmentOutputs.clone(), segmentOutputs.length / hidden, finals);
    }

    /** Units per position. */
    public int hiddenSize() {
        return outputs.length / length;
    }
}
