package dev.qrnnstreams.streams;

import dev.qrnnstreams.embedded.EmbeddedKafka;
import dev.qrnnstreams.embedded.EmbeddedSchemaRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link CrashRecoveryScenario} on a KRaft broker in this JVM and an Apicurio registry in a child process. */
class CrashRecoveryIT extends CrashRecoveryScenario {
    private static EmbeddedKafka kafka;
    private static EmbeddedSchemaRegistry registry;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
        registry = EmbeddedSchemaRegistry.start();
    }

    @AfterAll
    static void stop() {
        registry.close();
        kafka.close();
    }

    @Override
    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    String registryUrl() {
        return registry.url();
    }
}
