package dev.qrnnstreams.text;

import java.io.IOException;

/** Thrown when a vocabulary file cannot be read: wrong first line, unknown version, or a malformed entry. */
public final class VocabularyFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message saying what was wrong and where. */
    public VocabularyFormatException(String message) {
        super(message);
    }

    /** An exception with a message and the underlying cause. */
    public VocabularyFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
