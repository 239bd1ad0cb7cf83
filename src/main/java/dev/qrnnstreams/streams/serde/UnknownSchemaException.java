package dev.qrnnstreams.streams.serde;

/** A record names a schema id that the registry does not have. */
public final class UnknownSchemaException extends RegistryException {
    private static final long serialVersionUID = 1L;

    /** An exception for schema {@code id}. */
    public UnknownSchemaException(int id, Throwable cause) {
        super("schema id " + id + " is not in the registry", cause);
    }
}
