package dev.qrnnstreams.model;

import java.io.IOException;

/** A model bundle cannot be read: unknown format version, checksum mismatch, malformed or missing file. */
public final class ModelFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** An exception saying what is wrong with which file. */
    public ModelFormatException(String message) {
        super(message);
    }

    /** An exception with the underlying cause. */
    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
