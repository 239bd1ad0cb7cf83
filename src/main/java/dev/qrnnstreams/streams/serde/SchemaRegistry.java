package dev.qrnnstreams.streams.serde;

import org.apache.avro.Schema;

/**
 * The two calls the serdes need from a schema registry. Keeping the registry client behind this
 * interface lets it be swapped (see {@link ConfluentSchemaRegistry} for the one in use).
 *
 * <p>Implementations are thread-safe and cache what they fetch: every record of a topic carries a
 * schema id, so {@link #schema} is called per record.
 */
public interface SchemaRegistry extends AutoCloseable {

    /**
     * The id of {@code schema} under {@code subject}, registering it first when {@code autoRegister}
     * is true; otherwise it must already be registered.
     *
     * @throws RegistryException if the registry refuses the schema (for example as incompatible) or
     *     cannot be reached
     */
    int id(String subject, Schema schema, boolean autoRegister);

    /**
     * The schema registered under {@code id}.
     *
     * @throws UnknownSchemaException if the registry has no schema with that id
     * @throws RegistryException if the registry cannot be reached
     */
    Schema schema(int id);

    /**
     * Calls the registry once with this client's URL and credentials (it lists the subjects), to find a
     * refusal before the first record needs the registry.
     *
     * @throws RegistryAccessDeniedException if the registry refuses the credentials or permissions (HTTP 401
     *     or 403)
     * @throws RegistryException if the registry cannot be reached or fails otherwise
     */
    void checkAccess();

    /** Releases the client's connections. */
    @Override
    void close();
}
