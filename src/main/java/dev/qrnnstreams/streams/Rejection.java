package dev.qrnnstreams.streams;

import dev.qrnnstreams.avro.ErrorKind;
import java.util.Objects;

/**
 * Why an input record cannot be processed: the kind recorded in its dead letter and a message for
 * people.
 *
 * @param kind the dead letter's error kind
 * @param message what was wrong, naming the limit or value involved
 */
record Rejection(ErrorKind kind, String message) {
    Rejection {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    /** A processing error during {@code during}. */
    static Rejection processing(String during, RuntimeException e) {
        return new Rejection(ErrorKind.PROCESSING, during + " failed: " + e);
    }
}
