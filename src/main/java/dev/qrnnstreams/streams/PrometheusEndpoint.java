package dev.qrnnstreams.streams;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP endpoint for monitoring, on the JDK's built-in server:
 * <ul>
 *   <li>{@code GET /metrics}: the metrics of a supplier (for example {@code KafkaStreams::metrics}) in the
 *       Prometheus text exposition format 0.0.4 (see {@link PrometheusText} for names, labels and values);</li>
 *   <li>{@code GET /health}: {@code 200 UP} while the health supplier answers true (for example
 *       {@code () -> streams.state().isRunningOrRebalancing()}), else {@code 503 DOWN}.</li>
 * </ul>
 * Other paths answer 404, other methods 405 ({@code HEAD} is served like {@code GET}, without a body).
 *
 * <p>Lifecycle: {@link #start} binds and serves at once; {@link #close()} stops the server and its thread.
 * Requests are served one at a time on one daemon thread, which calls the suppliers; they must be
 * thread-safe, as Kafka Streams' {@code metrics()} and {@code state()} are.
 */
public final class PrometheusEndpoint implements AutoCloseable {
    /** The path of the metrics. */
    public static final String METRICS_PATH = "/metrics";
    /** The path of the health check. */
    public static final String HEALTH_PATH = "/health";

    private static final Logger LOG = LoggerFactory.getLogger(PrometheusEndpoint.class);
    private static final int OK = 200;
    private static final int NOT_FOUND = 404;
    private static final int METHOD_NOT_ALLOWED = 405;
    private static final int SERVER_ERROR = 500;
    private static final int UNAVAILABLE = 503;
    private static final String TEXT = "text/plain; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private PrometheusEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts serving on {@code address}; port 0 binds a free port (see {@link #port()}).
     *
     * @param metrics the metrics to expose, read on every scrape
     * @param healthy whether the service is healthy, read on every health check
     * @throws UncheckedIOException if the address cannot be bound
     */
    public static PrometheusEndpoint start(InetSocketAddress address,
                                           Supplier<? extends Map<MetricName, ? extends Metric>> metrics,
                                           BooleanSupplier healthy) {
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(healthy, "healthy");
        HttpServer server;
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot bind the metrics endpoint to " + address, e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "prometheus-endpoint");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext(METRICS_PATH, handler(METRICS_PATH,
                () -> new Response(OK, PrometheusText.CONTENT_TYPE, PrometheusText.render(metrics.get()))));
        server.createContext(HEALTH_PATH, handler(HEALTH_PATH, () -> healthy.getAsBoolean()
                ? new Response(OK, TEXT, "UP\n")
                : new Response(UNAVAILABLE, TEXT, "DOWN\n")));
        server.start();
        LOG.info("Serving {} and {} on port {}", METRICS_PATH, HEALTH_PATH, server.getAddress().getPort());
        return new PrometheusEndpoint(server, executor);
    }

    /** The port the endpoint listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops serving and releases the port; requests in progress are cut off. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private record Response(int status, String contentType, String body) {
    }

    private static HttpHandler handler(String path, Supplier<Response> responder) {
        return exchange -> {
            try {
                String method = exchange.getRequestMethod();
                Response response;
                if (!exchange.getRequestURI().getPath().equals(path)) {
                    response = new Response(NOT_FOUND, TEXT, "Not found\n");
                } else if (!method.equals("GET") && !method.equals("HEAD")) {
                    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                    response = new Response(METHOD_NOT_ALLOWED, TEXT, "Method not allowed\n");
                } else {
                    response = respond(path, responder);
                }
                send(exchange, response, method.equals("HEAD"));
            } finally {
                exchange.close();
            }
        };
    }

    private static Response respond(String path, Supplier<Response> responder) {
        try {
            return responder.get();
        } catch (RuntimeException e) {
            LOG.warn("Cannot answer {}", path, e);
            return new Response(SERVER_ERROR, TEXT, "Error: " + e.getMessage() + "\n");
        }
    }

    private static void send(HttpExchange exchange, Response response, boolean headOnly) throws IOException {
        byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        exchange.sendResponseHeaders(response.status(), headOnly ? -1 : body.length);
        if (!headOnly) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
