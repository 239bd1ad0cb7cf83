package dev.qrnnstreams.streams;

import dev.qrnnstreams.embedded.EmbeddedKafka;
import dev.qrnnstreams.embedded.EmbeddedSchemaRegistry;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A KRaft broker in this JVM and an Apicurio registry child process, for the embedded scenario variants: a
 * test class registers one ({@code @RegisterExtension static final EmbeddedServices SERVICES = new
 * EmbeddedServices();}), which starts both before its first test and stops them after its last.
 */
final class EmbeddedServices implements BeforeAllCallback, AfterAllCallback {
    private EmbeddedKafka kafka;
    private EmbeddedSchemaRegistry registry;

    @Override
    public void beforeAll(ExtensionContext context) {
        kafka = EmbeddedKafka.start();
        try {
            registry = EmbeddedSchemaRegistry.start();
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        registry.close();
        kafka.close();
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    String registryUrl() {
        return registry.url();
    }
}
