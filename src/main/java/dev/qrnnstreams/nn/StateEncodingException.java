package dev.qrnnstreams.nn;

/** Thrown when bytes cannot be decoded as a {@link QrnnState}: wrong magic, unknown version, truncation. */
public final class StateEncodingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message saying what was wrong. */
    public StateEncodingException(String message) {
        super(message);
    }

    /** An exception with a message and the underlying cause. */
    public StateEncodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
