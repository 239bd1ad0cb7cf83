package dev.qrnnstreams.embedded;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The two HTTP calls that bring a fresh registry into service: its readiness probe and its
 * Confluent-compatible global compatibility level. One thread at a time.
 */
final class RegistryAdminClient {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final String CONFLUENT_JSON = "application/vnd.schemaregistry.v1+json";
    private static final int OK = 200;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
    private final URI root;
    private final URI ccompat;

    RegistryAdminClient(URI root, URI ccompat) {
        this.root = root;
        this.ccompat = ccompat;
    }

    /** Whether the registry's readiness probe answers UP; false while it is not listening yet. */
    boolean isReady() throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(root.resolve("/health/ready")).timeout(REQUEST_TIMEOUT).GET()
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == OK;
        } catch (IOException notListeningYet) {
            return false;
        }
    }

    /** Sets the compatibility level of subjects that have none of their own, such as {@code BACKWARD}. */
    void setDefaultCompatibility(String level) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(ccompat + "/config")).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", CONFLUENT_JSON)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"" + level + "\"}"))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != OK || !response.body().contains(level)) {
            throw new IOException("setting compatibility " + level + " answered " + response.statusCode() + ": "
                    + response.body());
        }
    }
}
