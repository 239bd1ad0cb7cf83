package dev.qrnnstreams.streams.serde;

import org.apache.kafka.common.errors.SerializationException;

/** A schema registry call failed: unreachable, unauthorised, or a schema refused. */
public class RegistryException extends SerializationException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message saying what failed and the registry's own error. */
    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
