package dev.qrnnstreams.streams;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * {@link CrashRecoveryScenario} on {@link DockerServices}, started by Testcontainers. Skipped, not failed,
 * where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class CrashRecoveryContainersIT extends CrashRecoveryScenario {
    private static final DockerServices SERVICES = new DockerServices();
    @Container
    private static final KafkaContainer KAFKA = SERVICES.kafka;
    @Container
    private static final GenericContainer<?> REGISTRY = SERVICES.registry;

    @Override
    String bootstrapServers() {
        return SERVICES.bootstrapServers();
    }

    @Override
    String registryUrl() {
        return SERVICES.registryUrl();
    }
}
