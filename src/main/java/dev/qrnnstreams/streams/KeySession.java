package dev.qrnnstreams.streams;

import dev.qrnnstreams.nn.QrnnState;
import org.apache.kafka.common.utils.Bytes;

/**
 * One key's state for the duration of a batched step: loaded once from the {@link KeyStateStore},
 * advanced by each of the key's buffered records in order, and written back once if any record
 * changed it. Besides the QRNN state, a translator keeps the open segment: its source text and the
 * encoder's last-layer outputs over it.
 */
final class KeySession {
    private static final float[] NO_OUTPUTS = new float[0];
    private final Bytes storeKey;
    private final String model;
    private final String version;
    private QrnnState state;
    private String segmentText;
    private float[] segmentOutputs;
    private boolean touched;

    private KeySession(Bytes storeKey, String model, String version, QrnnState state, String segmentText,
                       float[] segmentOutputs) {
        this.storeKey = storeKey;
        this.model = model;
        this.version = version;
        this.state = state;
        this.segmentText = segmentText;
        this.segmentOutputs = segmentOutputs;
    }

    /** The session of a key that has seen nothing. */
    static KeySession fresh(Bytes storeKey, String model, String version, QrnnState initial) {
        return new KeySession(storeKey, model, version, initial, "", NO_OUTPUTS);
    }

    /** The session of a stored state. */
    static KeySession restored(Bytes storeKey, String model, String version, QrnnState state, String segmentText,
                               float[] segmentOutputs) {
        return new KeySession(storeKey, model, version, state, segmentText, segmentOutputs);
    }

    Bytes storeKey() {
        return storeKey;
    }

    /** The name of the model whose state this is. */
    String model() {
        return model;
    }

    /** The version of the model whose state this is. */
    String version() {
        return version;
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
