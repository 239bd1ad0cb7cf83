package dev.qrnnstreams.demo;

import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * A few of the service's own processor metrics (group {@value #GROUP}), summed or averaged over its tasks.
 *
 * @param recordsIn input records the processor has read
 * @param batchSize records per batched model step, average over tasks
 * @param inferenceMicros wall time of one batched step in microseconds, median, average over tasks
 */
record ServiceGauges(double recordsIn, double batchSize, double inferenceMicros) {
    static final String GROUP = "qrnn-processor-metrics";

    static ServiceGauges of(Map<MetricName, ? extends Metric> metrics) {
        double recordsIn = 0;
        double batchSum = 0;
        double inferenceSum = 0;
        int batchTasks = 0;
        int inferenceTasks = 0;
        for (Map.Entry<MetricName, ? extends Metric> metric : metrics.entrySet()) {
            if (!GROUP.equals(metric.getKey().group())
                    || !(metric.getValue().metricValue() instanceof Double value) || !Double.isFinite(value)) {
                continue;
            }
            switch (metric.getKey().name()) {
                case "records-in-total" -> recordsIn += value;
                case "batch-size-avg" -> {
                    batchSum += value;
                    batchTasks++;
                }
                case "inference-latency-p50" -> {
                    inferenceSum += value;
                    inferenceTasks++;
                }
                default -> {
                }
            }
        }
        return new ServiceGauges(recordsIn, batchTasks == 0 ? 0 : batchSum / batchTasks,
                inferenceTasks == 0 ? 0 : inferenceSum / inferenceTasks);
    }
}
