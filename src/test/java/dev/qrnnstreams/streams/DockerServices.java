package dev.qrnnstreams.streams;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The official Apache Kafka image in KRaft mode and Confluent's own Schema Registry image on one
 * Docker network, for the container variants of the integration scenarios.
 */
final class DockerServices {
    private static final int REGISTRY_PORT = 8081;
    private final Network network = Network.newNetwork();
    final KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.0").withNetwork(network)
            .withListener("kafka:19092");
    final GenericContainer<?> registry = new GenericContainer<>("confluentinc/cp-schema-registry:7.9.0")
            .withNetwork(network)
            .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
            .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:" + REGISTRY_PORT)
            .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
            .withExposedPorts(REGISTRY_PORT)
            .waitingFor(Wait.forHttp("/subjects").forStatusCode(200))
            .dependsOn(kafka);

    String bootstrapServers() {
        return kafka.getBootstrapServers();
    }

    String registryUrl() {
        return "http://" + registry.getHost() + ":" + registry.getMappedPort(REGISTRY_PORT);
    }
}
