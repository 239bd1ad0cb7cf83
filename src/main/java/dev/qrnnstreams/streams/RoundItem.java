package dev.qrnnstreams.streams;

import dev.qrnnstreams.avro.internal.PendingEvent;

/**
 * One record of a round and the session of its key.
 *
 * @param event the buffered record
 * @param session its key's state for this step
 */
record RoundItem(PendingEvent event, KeySession session) {
}
