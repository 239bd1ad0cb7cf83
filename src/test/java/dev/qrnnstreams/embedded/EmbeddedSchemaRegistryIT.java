package dev.qrnnstreams.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.CachedSchemaRegistryClient;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaRegistryClient;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedSchemaRegistryIT {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final String CONFLUENT_JSON = "application/vnd.schemaregistry.v1+json";
    private static final int SIGTERM_EXIT = 143;
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

    private static final String EVENT_V1 = "{\"type\":\"record\",\"name\":\"Event\","
            + "\"namespace\":\"dev.qrnnstreams.it\",\"fields\":[{\"name\":\"text\",\"type\":\"string\"}]}";
    /** Adds a field without a default: a reader of this version cannot read v1 data. */
    private static final String EVENT_V2_INCOMPATIBLE = EVENT_V1.replace("}]}",
            "},{\"name\":\"language\",\"type\":\"string\"}]}");
    /** Adds a field with a default: a backward-compatible change. */
    private static final String EVENT_V2_COMPATIBLE = EVENT_V1.replace("}]}",
            "},{\"name\":\"language\",\"type\":\"string\",\"default\":\"und\"}]}");

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
    private static EmbeddedSchemaRegistry registry;

    @BeforeAll
    static void startRegistry() {
        registry = EmbeddedSchemaRegistry.start();
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void shouldUseBackwardCompatibilityByDefault() throws Exception {
        HttpResponse<String> config = get(registry, "/config");

        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.body()).contains("\"BACKWARD\"");
    }

    @Test
    void shouldReturnARegisteredAvroSchemaById() throws Exception {
        String subject = "registry-it-register-value";

        HttpResponse<String> registered = register(registry, subject, EVENT_V1);
        assertThat(registered.statusCode()).isEqualTo(200);
        int id = id(registered);
        assertThat(id).isPositive();

        HttpResponse<String> fetched = get(registry, "/schemas/ids/" + id + "/schema");
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(EVENT_V1);
        assertThat(id(register(registry, subject, EVENT_V1))).as("id of the same schema registered again")
                .isEqualTo(id);
    }

    @Test
    void shouldRejectAnIncompatibleChangeWithConflictUnderBackward() throws Exception {
        String subject = "registry-it-evolution-value";
        int first = id(register(registry, subject, EVENT_V1));

        HttpResponse<String> incompatible = register(registry, subject, EVENT_V2_INCOMPATIBLE);
        assertThat(incompatible.statusCode()).as(incompatible.body()).isEqualTo(409);

        HttpResponse<String> compatible = register(registry, subject, EVENT_V2_COMPATIBLE);
        assertThat(compatible.statusCode()).as(compatible.body()).isEqualTo(200);
        assertThat(id(compatible)).isNotEqualTo(first);
    }

    @Test
    void shouldServeTheGenuineConfluentClient() throws Exception {
        String subject = "registry-it-confluent-client-value";
        SchemaRegistryClient client = new CachedSchemaRegistryClient(List.of(registry.url()), 10, Map.of());
        try {
            int id = client.register(subject, new AvroSchema(EVENT_V1));

            assertThat(client.getSchemaById(id).canonicalString())
                    .isEqualTo(new AvroSchema(EVENT_V1).canonicalString());
            assertThat(client.testCompatibility(subject, new AvroSchema(EVENT_V2_INCOMPATIBLE))).isFalse();
            assertThatThrownBy(() -> client.register(subject, new AvroSchema(EVENT_V2_INCOMPATIBLE)))
                    .isInstanceOfSatisfying(RestClientException.class, e -> assertThat(e.getStatus()).isEqualTo(409));
        } finally {
            client.close();
        }
    }

    @Test
    void shouldListenOnlyOnItsLoopbackPort() throws Exception {
        assumeTrue(ListeningSockets.available(), "needs Linux /proc");
        int port = URI.create(registry.url()).getPort();

        List<InetSocketAddress> listening = ListeningSockets.of(registry.pid());

        assertThat(listening).isNotEmpty().allSatisfy(address -> {
            assertThat(address.getAddress().isLoopbackAddress()).as(address.toString()).isTrue();
            assertThat(address.getPort()).as(address.toString()).isEqualTo(port);
        });
    }

    @Test
    void shouldStopItsProcessAndReleaseItsPortWhenClosed() {
        EmbeddedSchemaRegistry closing = EmbeddedSchemaRegistry.start();
        URI url = URI.create(closing.url());
        Optional<ProcessHandle> process = ProcessHandle.of(closing.pid());
        List<ProcessHandle> descendants = process.orElseThrow().descendants().toList();
        Path directory = closing.logFile().getParent();
        assertThat(isListening(url)).isTrue();

        closing.close();

        assertThat(process.orElseThrow().isAlive()).as("registry process alive").isFalse();
        assertThat(descendants).noneMatch(ProcessHandle::isAlive);
        assertThat(isListening(url)).as("port open").isFalse();
        assertThat(directory).doesNotExist();
    }

    @Test
    void shouldKeepItsSchemasAndIdsAcrossAStopAndARestartWithFileStorage() throws Exception {
        String subject = "registry-it-restart-value";
        try (EmbeddedSchemaRegistry restarting = EmbeddedSchemaRegistry.start(RegistryStorage.FILE)) {
            URI url = URI.create(restarting.url());
            int id = id(register(restarting, subject, EVENT_V1));

            assertThat(restarting.stop()).as("exit status after SIGTERM").isEqualTo(SIGTERM_EXIT);
            assertThat(restarting.isRunning()).isFalse();
            assertThat(isListening(url)).as("port open while stopped").isFalse();
            restarting.restart();

            assertThat(restarting.url()).isEqualTo(url.toString());
            assertThat(get(restarting, "/schemas/ids/" + id + "/schema").body()).isEqualTo(EVENT_V1);
            assertThat(get(restarting, "/config").body()).contains("\"BACKWARD\"");
            assertThat(id(register(restarting, subject, EVENT_V1))).as("id of v1 registered again").isEqualTo(id);
            assertThat(register(restarting, subject, EVENT_V2_INCOMPATIBLE).statusCode()).isEqualTo(409);
            assertThat(id(register(restarting, subject, EVENT_V2_COMPATIBLE))).as("id of v2").isGreaterThan(id);
        }
    }

    private static HttpResponse<String> register(EmbeddedSchemaRegistry target, String subject, String schema)
            throws IOException, InterruptedException {
        String body = "{\"schema\":\"" + schema.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(target.url() + "/subjects/" + subject + "/versions"))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", CONFLUENT_JSON)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(EmbeddedSchemaRegistry target, String path)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(target.url() + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", CONFLUENT_JSON)
                .GET()
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static int id(HttpResponse<String> registered) {
        Matcher matcher = ID.matcher(registered.body());
        assertThat(matcher.find()).as("id in " + registered.body()).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    private static boolean isListening(URI url) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), (int) REQUEST_TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
