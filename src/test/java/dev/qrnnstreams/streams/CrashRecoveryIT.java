package dev.qrnnstreams.streams;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link CrashRecoveryScenario} on {@link EmbeddedServices}: a KRaft broker in this JVM and Apicurio in a child process. */
class CrashRecoveryIT extends CrashRecoveryScenario {
    private static EmbeddedServices services;

    @BeforeAll
    static void start() {
        services = new EmbeddedServices();
    }

    @AfterAll
    static void stop() {
        services.close();
    }

    @Override
    String bootstrapServers() {
        return services.bootstrapServers();
    }

    @Override
    String registryUrl() {
        return services.registryUrl();
    }
}
