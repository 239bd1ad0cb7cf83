package dev.qrnnstreams.streams;

import dev.qrnnstreams.avro.ErrorKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Percentile;
import org.apache.kafka.common.metrics.stats.Percentiles;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.metrics.stats.Value;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * Every metric of the QRNN processor, declared in one place with its description. They are sensors of
 * the task's {@link StreamsMetrics}, so they appear in {@code KafkaStreams.metrics()}, in JMX and on
 * the Prometheus endpoint, in group {@value #GROUP} with the task's {@code thread-id} and
 * {@code task-id} tags.
 */
final class ProcessorMetrics {
    static final String GROUP = "qrnn-processor-metrics";
    private static final int PERCENTILE_BYTES = 8_000;
    private static final double MAX_LATENCY_MICROS = 10_000_000;

    private final StreamsMetrics metrics;
    private final Map<String, String> tags;
    private final String prefix;
    private final List<Sensor> sensors = new ArrayList<>();
    private final Sensor recordsIn;
    private final Sensor outputs;
    private final Map<ErrorKind, Sensor> deadLetters = new EnumMap<>(ErrorKind.class);
    private final Sensor batchSize;
    private final Sensor inferenceLatency;
    private final Sensor endToEndLatency;
    private final Sensor keysWithState;
    private final Sensor expiredKeys;
    private final Sensor stateResets;

    ProcessorMetrics(StreamsMetrics metrics, String threadId, String taskId) {
        this.metrics = metrics;
        this.tags = Map.of("thread-id", threadId, "task-id", taskId);
        this.prefix = "qrnn." + threadId + "." + taskId + ".";
        recordsIn = rateAndTotal("records-in", "input records read");
        outputs = rateAndTotal("outputs", "classifications and translations written");
        for (ErrorKind kind : ErrorKind.values()) {
            Sensor sensor = sensor("dead-letters-" + kind);
            Map<String, String> kindTags = new HashMap<>(tags);
            kindTags.put("kind", kind.name());
            sensor.add(new MetricName("dead-letters-total", GROUP, "input records sent to the dead-letter topic",
                    kindTags), new CumulativeSum());
            deadLetters.put(kind, sensor);
        }
        batchSize = sensor("batch-size");
        batchSize.add(name("batch-size-avg", "records per batched step, average"), new Avg());
        batchSize.add(name("batch-size-max", "records per batched step, maximum"), new Max());
        inferenceLatency = latency("inference-latency", "wall time of one batched model step, microseconds");
        endToEndLatency = latency("record-latency",
                "from a record's arrival at the processor to its output, microseconds (includes batching)");
        keysWithState = sensor("keys-with-state");
        keysWithState.add(name("keys-with-state", "keys holding model state in this task's store (estimate)"),
                new Value());
        expiredKeys = rateAndTotal("expired-keys", "keys whose state expired after the idle timeout");
        stateResets = rateAndTotal("state-resets", "key states reset because the model version changed");
    }

    void recordIn() {
        recordsIn.record();
    }

    void output(long latencyMicros) {
        outputs.record();
        endToEndLatency.record(latencyMicros);
    }

    void deadLetter(ErrorKind kind) {
        deadLetters.get(kind).record();
    }

    void batch(int records, long micros) {
        batchSize.record(records);
        inferenceLatency.record(micros);
    }

    void keysWithState(long count) {
        keysWithState.record(count);
    }

    void expired(int count) {
        expiredKeys.record(count);
    }

    void stateReset() {
        stateResets.record();
    }

    /** Removes this task's sensors. */
    void close() {
        sensors.forEach(metrics::removeSensor);
    }

    private Sensor rateAndTotal(String metric, String what) {
        Sensor sensor = sensor(metric);
        sensor.add(name(metric + "-rate", what + " per second"), new Rate());
        sensor.add(name(metric + "-total", what + " in total"), new CumulativeSum());
        return sensor;
    }

    private Sensor latency(String metric, String what) {
        Sensor sensor = sensor(metric);
        sensor.add(name(metric + "-avg", what + ", average"), new Avg());
        sensor.add(name(metric + "-max", what + ", maximum"), new Max());
        sensor.add(new Percentiles(PERCENTILE_BYTES, MAX_LATENCY_MICROS, Percentiles.BucketSizing.LINEAR,
                new Percentile(name(metric + "-p50", what + ", median"), 50),
                new Percentile(name(metric + "-p99", what + ", 99th percentile"), 99)));
        return sensor;
    }

    private Sensor sensor(String metric) {
        Sensor sensor = metrics.addSensor(prefix + metric, Sensor.RecordingLevel.INFO);
        sensors.add(sensor);
        return sensor;
    }

    private MetricName name(String metric, String description) {
        return new MetricName(metric, GROUP, description, tags);
    }
}
