package dev.qrnnstreams.embedded;

import java.nio.file.Path;

/**
 * Where an {@link EmbeddedSchemaRegistry} keeps its schemas, ids and settings: an H2 database, held in
 * the registry's memory or in a file in the registry's own directory. Both start equally fast (about 3 s
 * on 2 cores); only the file survives {@link EmbeddedSchemaRegistry#stop()} and
 * {@link EmbeddedSchemaRegistry#restart()}, as a real registry's storage does (Confluent's keeps it in a
 * Kafka topic).
 */
public enum RegistryStorage {
    /** In the registry process's memory: gone when the process stops, so a restarted registry is empty. */
    IN_MEMORY,
    /**
     * In an H2 file under the registry's directory: a restarted registry serves the schemas, ids and
     * compatibility settings it held. Deleted with the directory by {@link EmbeddedSchemaRegistry#close()}.
     */
    FILE;

    /** The JDBC URL of this storage for a registry whose directory is {@code registryDirectory}. */
    String datasourceUrl(Path registryDirectory) {
        return switch (this) {
            case IN_MEMORY -> "jdbc:h2:mem:registry";
            case FILE -> "jdbc:h2:file:" + registryDirectory.toAbsolutePath().resolve("storage").resolve("registry");
        };
    }
}
