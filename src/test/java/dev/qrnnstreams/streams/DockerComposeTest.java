package dev.qrnnstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml and the Dockerfile against the service's settings: every variable the service is given
 * is one it reads, the values load, the start-up order holds, and the topic creator makes the topics the
 * service uses.
 */
class DockerComposeTest {
    private static final String SERVICE = "qrnn-streams";
    private static final Pattern DOCKERFILE_ENV = Pattern.compile("([A-Z][A-Z0-9_]*)=(\"[^\"]*\"|\\S+)");

    private static JsonNode services;
    private static Map<String, String> serviceEnvironment;

    @BeforeAll
    static void readCompose() throws IOException {
        JsonNode compose = new YAMLMapper().readTree(Path.of("docker-compose.yml").toFile());
        services = compose.path("services");
        serviceEnvironment = environment(services.path(SERVICE));
    }

    @Test
    void shouldDefineTheBrokerRegistryTopicCreatorAndService() {
        assertThat(fieldNames(services)).containsExactlyInAnyOrder("kafka", "schema-registry", "topics", SERVICE);
        assertThat(services.path("kafka").path("image").asText()).startsWith("apache/kafka:");
        assertThat(services.path("topics").path("image").asText()).startsWith("apache/kafka:");
        assertThat(services.path("schema-registry").path("image").asText())
                .startsWith("confluentinc/cp-schema-registry:7.9.");
        assertThat(services.path(SERVICE).path("build").path("dockerfile").asText()).isEqualTo("Dockerfile");
        for (String name : List.of("kafka", "schema-registry", SERVICE)) {
            assertThat(services.path(name).path("healthcheck").path("test").isArray()).as(name + " healthcheck")
                    .isTrue();
        }
    }

    @Test
    void shouldStartEachServiceAfterWhatItNeeds() {
        assertThat(dependsOn("schema-registry")).containsExactly(Map.entry("kafka", "service_healthy"));
        assertThat(dependsOn("topics")).containsExactly(Map.entry("kafka", "service_healthy"));
        assertThat(dependsOn(SERVICE)).containsOnly(
                Map.entry("kafka", "service_healthy"),
                Map.entry("schema-registry", "service_healthy"),
                Map.entry("topics", "service_completed_successfully"));
    }

    @Test
    void shouldGiveTheServiceOnlyVariablesThatNameItsSettings() {
        Set<String> declared = ServiceConfig.configDef().names();
        Set<String> kafkaClientSettings = new TreeSet<>(ProducerConfig.configNames());
        kafkaClientSettings.addAll(ConsumerConfig.configNames());
        kafkaClientSettings.addAll(AdminClientConfig.configNames());

        assertThat(serviceEnvironment).isNotEmpty();
        Map<String, String> ours = new LinkedHashMap<>(serviceEnvironment);
        ours.putAll(dockerfileEnvironment());
        ours.forEach((variable, value) -> {
            Optional<String> setting = ServiceConfig.settingOfVariable(variable);
            assertThat(setting).as("%s names a setting", variable).isPresent();
            String name = setting.orElseThrow();
            if (name.startsWith(ServiceConfig.QRNN_PREFIX)) {
                assertThat(declared).as("%s is a declared setting (from %s)", name, variable).contains(name);
            } else if (!name.startsWith(ServiceConfig.SCHEMA_REGISTRY_PREFIX)) {
                assertThat(declared.contains(name) || kafkaClientSettings.contains(name))
                        .as("%s (from %s) is a declared or a Kafka client setting", name, variable).isTrue();
            }
        });
    }

    @Test
    void shouldLoadTheServiceEnvironmentWithoutErrors() {
        assertThatCode(() -> ServiceConfig.load(Optional.empty(), serviceEnvironment, Map.of()))
                .doesNotThrowAnyException();
        ServiceConfig config = ServiceConfig.load(Optional.empty(), serviceEnvironment, Map.of());

        assertThat(config.streamsProperties()).containsEntry("bootstrap.servers", "kafka:19092");
        assertThat(config.schemaRegistryUrls()).containsExactly("http://schema-registry:8081");
    }

    @Test
    void shouldCreateTheTopicsTheServiceUses() {
        ServiceConfig config = ServiceConfig.load(Optional.empty(), serviceEnvironment, Map.of());
        String command = String.join(" ", textList(services.path("topics").path("command")));

        for (String topic : List.of(config.inputTopic(), config.classificationsTopic(), config.translationsTopic(),
                config.dlqTopic())) {
            assertThat(command).as("the topics service creates " + topic).containsPattern("\\b" + topic + "\\b");
        }
        assertThat(command).contains("kafka-topics.sh", "--create", "--if-not-exists");
    }

    @Test
    void shouldCheckHealthOnTheMetricsPortTheServiceOpens() {
        ServiceConfig config = ServiceConfig.load(Optional.empty(), serviceEnvironment, Map.of());
        int port = config.metricsPort().orElseThrow();
        String healthcheck = String.join(" ", textList(services.path(SERVICE).path("healthcheck").path("test")));

        assertThat(healthcheck).contains("/" + port, PrometheusEndpoint.HEALTH_PATH);
        assertThat(textList(services.path(SERVICE).path("ports"))).contains(port + ":" + port);
    }

    @Test
    void shouldGiveTheBrokerAValidClusterId() {
        String clusterId = services.path("kafka").path("environment").path("CLUSTER_ID").asText();

        assertThatCode(() -> Uuid.fromString(clusterId)).doesNotThrowAnyException();
    }

    @Test
    void shouldRunTheServiceFromTheDockerfileWithTheVectorModule() throws IOException {
        String dockerfile = Files.readString(Path.of("Dockerfile"), StandardCharsets.UTF_8);

        assertThat(dockerfile).contains("FROM maven:3.9-eclipse-temurin-17 AS build", "FROM eclipse-temurin:17-jre",
                "-DskipTests package", "COPY models /app/models");
        assertThat(dockerfile).contains("ENTRYPOINT [\"java\", \"--add-modules\", \"jdk.incubator.vector\", "
                + "\"-cp\", \"/app/classes:/app/lib/*\", \"dev.qrnnstreams.cli.Main\", \"run\"]");
    }

    private static Map<String, String> dependsOn(String service) {
        Map<String, String> conditions = new LinkedHashMap<>();
        services.path(service).path("depends_on").fields().forEachRemaining(
                dependency -> conditions.put(dependency.getKey(), dependency.getValue().path("condition").asText()));
        return conditions;
    }

    /** A service's environment, written as a mapping or as a list of NAME=value. */
    private static Map<String, String> environment(JsonNode service) {
        Map<String, String> environment = new LinkedHashMap<>();
        JsonNode node = service.path("environment");
        if (node.isArray()) {
            for (JsonNode entry : node) {
                String text = entry.asText();
                int equals = text.indexOf('=');
                environment.put(text.substring(0, equals), text.substring(equals + 1));
            }
        } else {
            node.fields().forEachRemaining(entry -> environment.put(entry.getKey(), entry.getValue().asText()));
        }
        return environment;
    }

    /** The service's variables set by the Dockerfile's ENV instructions (the JVM's own are not ours). */
    private static Map<String, String> dockerfileEnvironment() {
        String dockerfile;
        try {
            dockerfile = Files.readString(Path.of("Dockerfile"), StandardCharsets.UTF_8).replace("\\\n", " ");
        } catch (IOException e) {
            throw new AssertionError("cannot read the Dockerfile", e);
        }
        Map<String, String> environment = new LinkedHashMap<>();
        dockerfile.lines().filter(line -> line.startsWith("ENV ")).forEach(line -> {
            Matcher assignment = DOCKERFILE_ENV.matcher(line);
            while (assignment.find()) {
                String variable = assignment.group(1);
                if (ServiceConfig.settingOfVariable(variable).isPresent()) {
                    environment.put(variable, assignment.group(2));
                }
            }
        });
        assertThat(environment).as("the Dockerfile sets some of the service's variables").isNotEmpty();
        return environment;
    }

    private static List<String> textList(JsonNode node) {
        if (node.isArray()) {
            return StreamSupport.stream(node.spliterator(), false).map(JsonNode::asText).toList();
        }
        return List.of(node.asText());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
