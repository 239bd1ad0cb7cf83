package dev.qrnnstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.Max;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The exposition format on a real Kafka metrics registry, and the endpoint over real HTTP. */
class PrometheusEndpointTest {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final String LABEL_VALUE = "\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
    private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=" + LABEL_VALUE;
    private static final String VALUE = "(?:NaN|[+-]Inf|-?[0-9]+(?:\\.[0-9]+)?(?:E-?[0-9]+)?)";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (?:[^\\\\\\n]|\\\\[\\\\n])*");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge)");
    private static final Pattern SAMPLE = Pattern.compile(
            "(" + NAME + ")(\\{" + LABEL + "(?:," + LABEL + ")*\\})? " + VALUE);

    private Metrics metrics;

    @BeforeEach
    void registerMetrics() {
        metrics = new Metrics();
        Sensor processed = metrics.sensor("processed");
        processed.add(metrics.metricName("process-total", "stream-thread-metrics", "Records processed.",
                Map.of("thread-id", "t-1")), new CumulativeCount());
        processed.add(metrics.metricName("process-max", "stream-thread-metrics", "Largest record value.",
                Map.of("thread-id", "t-1")), new Max());
        processed.record(3.0);
        processed.record(5.0);
        metrics.addMetric(metrics.metricName("version", "app-info", "The version.", Map.of()),
                (Gauge<String>) (config, now) -> "4.4.0");
        metrics.addMetric(metrics.metricName("lag", "consumer-fetch-manager-metrics", "", Map.of()),
                (Gauge<Double>) (config, now) -> Double.NaN);
        metrics.addMetric(metrics.metricName("headroom", "qrnn-metrics", "Unbounded.", Map.of()),
                (Gauge<Double>) (config, now) -> Double.POSITIVE_INFINITY);
        metrics.addMetric(metrics.metricName("deficit", "qrnn-metrics", "Unbounded below.", Map.of()),
                (Gauge<Double>) (config, now) -> Double.NEGATIVE_INFINITY);
        metrics.addMetric(metrics.metricName("latency-avg", "qrnn-metrics", "Seconds.", Map.of()),
                (Gauge<Double>) (config, now) -> 0.00125);
    }

    @AfterEach
    void closeMetrics() {
        metrics.close();
    }

    @Test
    void shouldRenderNumericMetricsInTheExpositionFormat() {
        String text = PrometheusText.render(metrics.metrics());

        assertValidExposition(text);
        assertThat(text).contains(
                "# HELP stream_thread_metrics_process_total Records processed.\n"
                        + "# TYPE stream_thread_metrics_process_total counter\n"
                        + "stream_thread_metrics_process_total{thread_id=\"t-1\"} 2\n",
                "# TYPE stream_thread_metrics_process_max gauge\n"
                        + "stream_thread_metrics_process_max{thread_id=\"t-1\"} 5\n",
                "consumer_fetch_manager_metrics_lag NaN\n",
                "qrnn_metrics_headroom +Inf\n",
                "qrnn_metrics_deficit -Inf\n",
                "qrnn_metrics_latency_avg 0.00125\n");
        assertThat(text).contains("# HELP consumer_fetch_manager_metrics_lag Kafka metric lag of group "
                + "consumer-fetch-manager-metrics\n");
        assertThat(text).doesNotContain("app_info_version");
    }

    @Test
    void shouldEscapeLabelValuesAndHelpText() {
        metrics.addMetric(metrics.metricName("odd", "qrnn-metrics", "Two\nlines \\ one backslash.",
                        Map.of("task-id", "a\"b\\c\nd", "0th", "x")),
                (Gauge<Integer>) (config, now) -> 7);

        String text = PrometheusText.render(metrics.metrics());

        assertValidExposition(text);
        assertThat(text).contains("# HELP qrnn_metrics_odd Two\\nlines \\\\ one backslash.\n"
                + "# TYPE qrnn_metrics_odd gauge\n"
                + "qrnn_metrics_odd{_0th=\"x\",task_id=\"a\\\"b\\\\c\\nd\"} 7\n");
    }

    @Test
    void shouldGroupMetricsOfOneNameIntoOneFamilySortedByLabels() {
        for (String thread : List.of("t-2", "t-0")) {
            metrics.addMetric(metrics.metricName("process-total", "stream-thread-metrics", "Records processed.",
                    Map.of("thread-id", thread)), (Gauge<Long>) (config, now) -> 1L);
        }

        String text = PrometheusText.render(metrics.metrics());

        assertValidExposition(text);
        assertThat(text).contains("# TYPE stream_thread_metrics_process_total counter\n"
                + "stream_thread_metrics_process_total{thread_id=\"t-0\"} 1\n"
                + "stream_thread_metrics_process_total{thread_id=\"t-1\"} 2\n"
                + "stream_thread_metrics_process_total{thread_id=\"t-2\"} 1\n");
    }

    @Test
    void shouldSanitiseNamesAndFormatNumbers() {
        assertThat(PrometheusText.metricName("stream-task-metrics_e2e-latency.p99")).isEqualTo(
                "stream_task_metrics_e2e_latency_p99");
        assertThat(PrometheusText.metricName("9lives")).isEqualTo("_9lives");
        assertThat(PrometheusText.labelName("client:id")).isEqualTo("client_id");
        assertThat(PrometheusText.formatValue(42.0)).isEqualTo("42");
        assertThat(PrometheusText.formatValue(-3.5)).isEqualTo("-3.5");
        assertThat(PrometheusText.formatValue(1e20)).isEqualTo("1.0E20");
        assertThat(PrometheusText.formatValue(Double.NaN)).isEqualTo("NaN");
    }

    @Test
    void shouldServeMetricsAndHealthOverHttp() throws IOException, InterruptedException {
        AtomicBoolean healthy = new AtomicBoolean(true);
        HttpClient client = HttpClient.newHttpClient();
        int port;
        try (PrometheusEndpoint endpoint = PrometheusEndpoint.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), metrics::metrics, healthy::get)) {
            port = endpoint.port();
            assertThat(port).isPositive();

            HttpResponse<String> scrape = get(client, port, "/metrics");
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertValidExposition(scrape.body());
            assertThat(scrape.body()).contains("stream_thread_metrics_process_total{thread_id=\"t-1\"} 2\n");

            HttpResponse<String> up = get(client, port, "/health");
            assertThat(up.statusCode()).isEqualTo(200);
            assertThat(up.body()).isEqualTo("UP\n");
            healthy.set(false);
            HttpResponse<String> down = get(client, port, "/health");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).isEqualTo("DOWN\n");

            assertThat(get(client, port, "/metrics/more").statusCode()).isEqualTo(404);
            assertThat(get(client, port, "/").statusCode()).isEqualTo(404);
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri(port, "/metrics"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        }
        assertThatCode(() -> new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close())
                .as("the port is released on close")
                .doesNotThrowAnyException();
    }

    @Test
    void shouldAnswerServerErrorWhenTheMetricsCannotBeRead() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        try (PrometheusEndpoint endpoint = PrometheusEndpoint.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                () -> {
                    throw new IllegalStateException("streams not started");
                }, () -> true)) {
            HttpResponse<String> scrape = get(client, endpoint.port(), "/metrics");

            assertThat(scrape.statusCode()).isEqualTo(500);
            assertThat(scrape.body()).contains("streams not started");
            assertThat(get(client, endpoint.port(), "/health").statusCode()).isEqualTo(200);
        }
    }

    private static URI uri(int port, String path) {
        return URI.create("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port + path);
    }

    private static HttpResponse<String> get(HttpClient client, int port, String path)
            throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(port, path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Checks the text line by line against the 0.0.4 grammar: HELP, TYPE and sample lines only; each family
     * once, HELP then TYPE then its samples, contiguous; no repeated series; a final line feed.
     */
    private static void assertValidExposition(String text) {
        assertThat(text).isNotEmpty().endsWith("\n");
        Set<String> familiesSeen = new HashSet<>();
        Set<String> series = new HashSet<>();
        String family = null;
        boolean typed = false;
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            Matcher help = HELP.matcher(line);
            Matcher type = TYPE.matcher(line);
            Matcher sample = SAMPLE.matcher(line);
            if (help.matches()) {
                family = help.group(1);
                assertThat(familiesSeen.add(family)).as("family %s appears once", family).isTrue();
                typed = false;
            } else if (type.matches()) {
                assertThat(type.group(1)).as("TYPE follows the HELP of its family").isEqualTo(family);
                typed = true;
            } else if (sample.matches()) {
                assertThat(sample.group(1)).as("sample in its family: %s", line).isEqualTo(family);
                assertThat(typed).as("TYPE before samples: %s", line).isTrue();
                assertThat(series.add(sample.group(1) + sample.group(2))).as("series once: %s", line).isTrue();
            } else {
                fail("not a line of the exposition format: [%s]", line);
            }
        }
        assertThat(text).doesNotContain("\n\n");
    }
}
