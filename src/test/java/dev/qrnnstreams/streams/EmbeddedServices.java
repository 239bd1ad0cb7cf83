package dev.qrnnstreams.streams;

import dev.qrnnstreams.embedded.EmbeddedKafka;
import dev.qrnnstreams.embedded.EmbeddedSchemaRegistry;

/** A KRaft broker in this JVM and an Apicurio registry child process, for the embedded scenario variants. */
final class EmbeddedServices implements AutoCloseable {
    private final EmbeddedKafka kafka;
    private final EmbeddedSchemaRegistry registry;

    EmbeddedServices() {
        kafka = EmbeddedKafka.start();
        try {
            registry = EmbeddedSchemaRegistry.start();
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    String registryUrl() {
        return registry.url();
    }

    @Override
    public void close() {
        registry.close();
        kafka.close();
    }
}
