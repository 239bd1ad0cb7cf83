package dev.qrnnstreams.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The check an instance runs before its streams start: that every record it may write fits the limits
 * the producer and the brokers put on it. The service keeps each record's key and value within
 * {@value ServiceConfig#RECORD_MAX_BYTES_CONFIG} ({@link RecordLimits#recordBytes}); such a record goes out
 * in a batch up to {@link #BATCH_OVERHEAD_BYTES} larger, which must fit the producer's
 * {@code max.request.size} and the {@code max.message.bytes} of every topic it writes: the
 * classifications, translations and dead-letter topics and the changelog topics. A topic not created yet
 * is held to the limit it will be created with ({@link ClusterWriteLimits}).
 *
 * <p>A limit too small fails the start before anything starts, with one message that names each such
 * limit, its setting and value, {@value ServiceConfig#RECORD_MAX_BYTES_CONFIG} and what to change. Brokers
 * that cannot be asked (no answer in time, DescribeConfigs not authorised) are a warning and the start goes
 * on, the producer's limit still checked: a write a broker refuses then becomes its input's dead letter
 * ({@link DeadLetterProductionHandler}). The admin client is built from the instance's own Kafka settings,
 * as Kafka Streams builds its own (security settings, {@code admin.}-prefixed ones).
 */
final class TopicLimitsCheck {
    /**
     * The most bytes a batch holding one record adds to the record's key and value, as the producer bounds
     * it before sending (against {@code max.request.size}) and as the broker counts it (against
     * {@code max.message.bytes}): the batch header, 61 bytes with its base offset and length; the record's
     * own fields at their widest, 21 (its length, attributes, timestamp delta and offset delta); the key's
     * and the value's lengths, 5 each as the widest varints; and the count of headers, 1, since the service
     * writes no header on any record (outputs, dead letters, changelog records). Kafka's producer checks
     * the same sum with the lengths' actual varints, so never more. Compression is not counted: a compressed
     * batch of incompressible bytes can exceed it by the codec's framing.
     */
    static final int BATCH_OVERHEAD_BYTES = 61 + 21 + 5 + 5 + 1;
    /** The longest the check waits for each answer of the brokers. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(TopicLimitsCheck.class);
    private static final String MAX_REQUEST_SIZE = ProducerConfig.MAX_REQUEST_SIZE_CONFIG;

    private TopicLimitsCheck() {
    }

    /**
     * Checks the limits on the writes {@code config} makes, changelog topics {@code changelogTopics}
     * included, waiting at most {@code timeout} for each answer of the brokers.
     *
     * @throws ConfigException if a limit is under the largest batch the service may write, or a Kafka
     *     setting the check reads is invalid
     */
    static void run(ServiceConfig config, List<String> changelogTopics, Duration timeout) {
        Properties streams = config.streamsProperties();
        List<WriteLimit> limits = new ArrayList<>(List.of(producerLimit(streams)));
        Optional<List<WriteLimit>> brokerLimits = brokerLimits(config, streams, changelogTopics, timeout);
        brokerLimits.ifPresent(limits::addAll);
        int recordMaxBytes = config.recordLimits().recordBytes();
        Optional<String> refusal = refusal(recordMaxBytes, limits);
        if (refusal.isPresent()) {
            throw new ConfigException(refusal.get());
        }
        LOG.info("Records of up to {}={} bytes fit {}", ServiceConfig.RECORD_MAX_BYTES_CONFIG, recordMaxBytes,
                brokerLimits.isPresent() ? "the producer's max.request.size and the topics' max.message.bytes"
                        : "the producer's max.request.size");
    }

    /**
     * Why records of up to {@code recordMaxBytes} of key and value do not fit {@code limits}, naming every
     * limit under {@code recordMaxBytes + }{@link #BATCH_OVERHEAD_BYTES}; empty when they fit.
     */
    static Optional<String> refusal(int recordMaxBytes, List<WriteLimit> limits) {
        long largestBatch = (long) recordMaxBytes + BATCH_OVERHEAD_BYTES;
        List<String> tooSmall = limits.stream().filter(limit -> limit.bytes() < largestBatch)
                .map(limit -> limit.subject() + " " + limit.setting() + "=" + limit.bytes() + ": " + limit.raise()
                        + " to at least " + largestBatch + lowering(limit))
                .toList();
        if (tooSmall.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("Not starting: " + ServiceConfig.RECORD_MAX_BYTES_CONFIG + "=" + recordMaxBytes
                + " lets the service write records that take up to " + largestBatch + " bytes as a batch ("
                + BATCH_OVERHEAD_BYTES + " bytes of framing), more than the broker or the producer accepts: "
                + String.join("; ", tooSmall));
    }

    /**
     * The producer's {@code max.request.size} in the Kafka Streams settings {@code streams}: the
     * {@code producer.}-prefixed setting, else the unprefixed one, else Kafka's default.
     */
    static WriteLimit producerLimit(Properties streams) {
        for (String setting : List.of(StreamsConfig.producerPrefix(MAX_REQUEST_SIZE), MAX_REQUEST_SIZE)) {
            if (streams.containsKey(setting)) {
                return WriteLimit.producer(setting, intSetting(streams, setting));
            }
        }
        return WriteLimit.producer(null, (Integer) ProducerConfig.configDef().defaultValues().get(MAX_REQUEST_SIZE));
    }

    /** The {@code topic.max.message.bytes} Kafka Streams creates its internal topics with, if set. */
    static OptionalInt changelogDefault(Properties streams) {
        String setting = StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        return streams.containsKey(setting) ? OptionalInt.of(intSetting(streams, setting)) : OptionalInt.empty();
    }

    /** The limits of the output and changelog topics; empty, after a warning, when the brokers cannot be asked. */
    private static Optional<List<WriteLimit>> brokerLimits(ServiceConfig config, Properties streams,
                                                          List<String> changelogTopics, Duration timeout) {
        List<String> outputTopics = List.of(config.classificationsTopic(), config.translationsTopic(),
                config.dlqTopic());
        OptionalInt changelogDefault = changelogDefault(streams);
        Map<String, Object> adminConfig = AdminSettings.of(streams, config.applicationId() + "-topic-limits-check");
        Admin admin;
        try {
            admin = Admin.create(adminConfig);
        } catch (KafkaException e) {
            return notChecked(describe(e));
        }
        try {
            return Optional.of(new ClusterWriteLimits(admin, timeout).read(outputTopics, changelogTopics,
                    changelogDefault));
        } catch (ExecutionException e) {
            return notChecked(describe(e.getCause()));
        } catch (KafkaException e) {
            return notChecked(describe(e));
        } catch (TimeoutException e) {
            return notChecked("no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return notChecked("interrupted");
        } finally {
            admin.close(timeout);
        }
    }

    private static Optional<List<WriteLimit>> notChecked(String reason) {
        LOG.warn("The topics' max.message.bytes were not checked against {}: the brokers could not be asked ({}); "
                        + "the check needs DescribeConfigs on the output and changelog topics, and on the cluster "
                        + "for a topic not created yet. Starting anyway: a write a broker refuses becomes its "
                        + "input's dead letter", ServiceConfig.RECORD_MAX_BYTES_CONFIG, reason);
        return Optional.empty();
    }

    /** The exception's class and message, and its cause's message (a client that cannot be built hides why in it). */
    private static String describe(Throwable failure) {
        Throwable cause = failure.getCause();
        return failure.getClass().getSimpleName() + ": " + failure.getMessage()
                + (cause == null || cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")");
    }

    private static String lowering(WriteLimit limit) {
        return limit.bytes() > BATCH_OVERHEAD_BYTES ? ", or lower " + ServiceConfig.RECORD_MAX_BYTES_CONFIG
                + " to at most " + (limit.bytes() - BATCH_OVERHEAD_BYTES) : "";
    }

    private static int intSetting(Properties streams, String setting) {
        return (Integer) ConfigDef.parseType(setting, streams.get(setting), ConfigDef.Type.INT);
    }
}
