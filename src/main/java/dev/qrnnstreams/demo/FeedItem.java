package dev.qrnnstreams.demo;

import dev.qrnnstreams.avro.ErrorKind;
import java.util.Optional;

/**
 * One input record of the demo's feed and what should come back for it.
 *
 * @param key the record key, or null for a record without one
 * @param eventId the event id, or null for raw bytes that are not a {@code TextEvent}
 * @param text the message text (for a {@code TextEvent})
 * @param model the model the event names (for a {@code TextEvent}), or null for the default
 * @param endOfSegment whether the message ends its review or sentence
 * @param rawValue the raw value bytes of a record that is not a {@code TextEvent}, else null
 * @param review the index of the review in the corpus, or -1
 * @param label the review's label, or -1
 * @param expectedDeadLetter the dead-letter kind this record should get, if it is a bad record
 */
public record FeedItem(String key, String eventId, String text, String model, boolean endOfSegment, byte[] rawValue,
                int review, int label, Optional<ErrorKind> expectedDeadLetter) {

    static FeedItem reviewMessage(String key, String eventId, String text, String model, boolean last, int review,
                                  int label) {
        return new FeedItem(key, eventId, text, model, last, null, review, label, Optional.empty());
    }

    static FeedItem sentenceMessage(String key, String eventId, String text, String model, boolean endOfSentence) {
        return new FeedItem(key, eventId, text, model, endOfSentence, null, -1, -1, Optional.empty());
    }

    static FeedItem badEvent(String key, String eventId, String text, String model, ErrorKind expected) {
        return new FeedItem(key, eventId, text, model, false, null, -1, -1, Optional.of(expected));
    }

    static FeedItem badBytes(String key, byte[] value, ErrorKind expected) {
        return new FeedItem(key, null, null, null, false, value.clone(), -1, -1, Optional.of(expected));
    }

    /** Whether this record is a {@code TextEvent}, so its output or dead letter names its event id. */
    public boolean isEvent() {
        return rawValue == null;
    }
}
