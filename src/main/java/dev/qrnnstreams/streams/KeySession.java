package dev.qrnnstreams.streams;

import dev.qrnnstreams.nn.QrnnState;
import org.apache.kafka.common.utils.Bytes;

/**
 * One key's state for the duration of a batched step: loaded once, advanced by each of the key's
 * buffered records in order, and written back once if any record advanced it.
 */
final class KeySession {
    private final Bytes storeKey;
    private final String model;
    private QrnnState state;
    private boolean touched;

    KeySession(Bytes storeKey, String model, QrnnState state) {
        this.storeKey = storeKey;
        this.model = model;
        this.state = state;
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

    /** Replaces the state. */
    void update(QrnnState next) {
        state = next;
        touched = true;
    }

    /** Whether a record changed the state in this step, so it must be written back. */
    boolean touched() {
        return touched;
    }
}
