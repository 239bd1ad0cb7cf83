package dev.qrnnstreams.streams;

import dev.qrnnstreams.avro.internal.KeyState;
import dev.qrnnstreams.nn.QrnnState;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.kafka.common.utils.Bytes;

/**
 * One key's state for the duration of a batched step: loaded once, advanced by each of the key's
 * buffered records in order, and written back once if any record changed it. Besides the QRNN state,
 * a translator keeps the open segment: its source text and the encoder's last-layer outputs over it.
 */
final class KeySession {
    private static final float[] NO_OUTPUTS = new float[0];
    private final Bytes storeKey;
    private final String model;
    private QrnnState state;
    private String segmentText;
    private float[] segmentOutputs;
    private boolean touched;

    KeySession(Bytes storeKey, String model, QrnnState state) {
        this(storeKey, model, state, "", NO_OUTPUTS);
    }

    private KeySession(Bytes storeKey, String model, QrnnState state, String segmentText, float[] segmentOutputs) {
        this.storeKey = storeKey;
        this.model = model;
        this.state = state;
        this.segmentText = segmentText;
        this.segmentOutputs = segmentOutputs;
    }

    /** The session of a stored state whose QRNN part decoded to {@code state}. */
    static KeySession restored(Bytes storeKey, KeyState stored, QrnnState state) {
        ByteBuffer bytes = stored.getSegmentOutputs().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] outputs = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(outputs);
        return new KeySession(storeKey, stored.getModelName(), state, stored.getSegmentText(), outputs);
    }

    Bytes storeKey() {
        return storeKey;
    }

    /** The name of the model whose state this is. */
    String model() {
        return model;
    }

    QrnnState state() {
        return state;
    }

    String segmentText() {
        return segmentText;
    }

    float[] segmentOutputs() {
        return segmentOutputs;
    }

    /** The segment outputs as float32 little-endian bytes, as {@link KeyState} stores them. */
    byte[] segmentOutputBytes() {
        ByteBuffer bytes = ByteBuffer.allocate(segmentOutputs.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(segmentOutputs);
        return bytes.array();
    }

    /** Replaces the QRNN state. */
    void update(QrnnState next) {
        state = next;
        touched = true;
    }

    /** Replaces the QRNN state and the open segment. */
    void update(QrnnState next, String text, float[] outputs) {
        update(next);
        segmentText = text;
        segmentOutputs = outputs;
    }

    /** Whether a record changed the state in this step, so it must be written back. */
    boolean touched() {
        return touched;
    }
}
