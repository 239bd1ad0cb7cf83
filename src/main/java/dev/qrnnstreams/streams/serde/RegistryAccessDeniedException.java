package dev.qrnnstreams.streams.serde;

/**
 * The schema registry refused this client's credentials or permissions (HTTP 401 or 403): retrying with
 * the same settings cannot succeed.
 */
public class RegistryAccessDeniedException extends RegistryException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message saying what was refused and the registry's own error. */
    public RegistryAccessDeniedException(String message, Throwable cause) {
        super(message, cause);
    }
}
