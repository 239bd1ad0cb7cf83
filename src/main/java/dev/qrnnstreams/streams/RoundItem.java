package dev.qrnnstreams.streams;

import dev.qrnnstreams.avro.internal.PendingEvent;
import java.nio.charset.StandardCharsets;

/**
 * One record of a round and the session of its key.
 *
 * @param event the buffered record
 * @param session its key's state for this step
 */
record RoundItem(PendingEvent event, KeySession session) {

    /** The record's stream key, which the validator checked is UTF-8. */
    String key() {
        return new String(Buffers.bytes(event.getKey()), StandardCharsets.UTF_8);
    }
}
