package dev.qrnnstreams.streams;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link StreamsScenarios} on {@link EmbeddedServices}: a KRaft broker in this JVM and Apicurio in a child process. */
class QrnnStreamsIT extends StreamsScenarios {
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
