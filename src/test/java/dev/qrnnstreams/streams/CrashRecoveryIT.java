package dev.qrnnstreams.streams;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link CrashRecoveryScenario} on {@link EmbeddedServices}: a KRaft broker in this JVM and Apicurio in a child process. */
class CrashRecoveryIT extends CrashRecoveryScenario {
    @RegisterExtension
    static final EmbeddedServices SERVICES = new EmbeddedServices();

    @Override
    String bootstrapServers() {
        return SERVICES.bootstrapServers();
    }

    @Override
    String registryUrl() {
        return SERVICES.registryUrl();
    }
}
