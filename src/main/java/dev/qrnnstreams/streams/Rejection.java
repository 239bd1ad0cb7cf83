package dev.qrnnstreams.streams;

import dev.qrnnstreams.avro.ErrorKind;
import java.util.Objects;

/**
 * Why an input record cannot be processed: the kind recorded in its dead letter and a message for
 * people, never empty and at most {@value #MAX_MESSAGE_CHARS} chars.
 *
 * @param kind the dead letter's error kind
 * @param message what was wrong, naming the limit or value involved
 */
record Rejection(ErrorKind kind, String message) {
    /** The longest message kept; longer ones are cut with an ellipsis. */
    static final int MAX_MESSAGE_CHARS = 2_000;
    private static final int MAX_CAUSES = 5;

    Rejection {
        Objects.requireNonNull(kind, "kind");
        message = cut(message == null || message.isBlank() ? kind + " (no reason given)" : message);
    }

    /** A processing error during {@code during}. */
    static Rejection processing(String during, Throwable e) {
        return of(ErrorKind.PROCESSING, during + " failed", e);
    }

    /** A rejection of {@code kind} because of {@code e}: {@code context}, then {@link #describe} of {@code e}. */
    static Rejection of(ErrorKind kind, String context, Throwable e) {
        return new Rejection(kind, context + ": " + describe(e));
    }

    /**
     * Each exception of the cause chain as its class and message ({@code Throwable.toString}), the
     * class alone where the message is null, joined by "caused by".
     */
    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(e.toString());
        Throwable cause = e.getCause();
        for (int i = 0; cause != null && cause != e && i < MAX_CAUSES; i++, cause = cause.getCause()) {
            text.append("; caused by ").append(cause);
        }
        return text.toString();
    }

    private static String cut(String text) {
        return text.length() <= MAX_MESSAGE_CHARS ? text : text.substring(0, MAX_MESSAGE_CHARS - 3) + "...";
    }
}
