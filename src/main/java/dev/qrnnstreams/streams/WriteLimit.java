package dev.qrnnstreams.streams;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * One limit on the record batches the service's writes go out in, as {@link TopicLimitsCheck} names it:
 * a topic's {@code max.message.bytes}, the limit a topic not created yet will get, or the producer's
 * {@code max.request.size}.
 *
 * @param subject what the limit applies to, worded to be followed by the setting ("topic 'out' has")
 * @param setting the setting that holds the limit
 * @param bytes the largest batch the limit lets through
 * @param raise what to change to raise the limit, worded to be followed by "to at least N"
 */
record WriteLimit(String subject, String setting, int bytes, String raise) {
    /** The brokers' setting an automatically created topic takes its {@code max.message.bytes} from. */
    static final String BROKER_MESSAGE_MAX_BYTES = "message.max.bytes";
    private static final String MAX_MESSAGE_BYTES = TopicConfig.MAX_MESSAGE_BYTES_CONFIG;
    private static final String STREAMS_TOPIC_MAX_MESSAGE_BYTES = StreamsConfig.topicPrefix(MAX_MESSAGE_BYTES);

    /** The {@code max.message.bytes} of {@code topic}, which exists. */
    static WriteLimit topic(String topic, int maxMessageBytes) {
        return new WriteLimit("topic '" + topic + "' has", MAX_MESSAGE_BYTES, maxMessageBytes,
                "raise the topic's " + MAX_MESSAGE_BYTES);
    }

    /** The brokers' {@code message.max.bytes}, which output topic {@code topic}, not created yet, will get. */
    static WriteLimit absentTopic(String topic, int messageMaxBytes) {
        return new WriteLimit("topic '" + topic + "' does not exist yet and would be created with the brokers'",
                BROKER_MESSAGE_MAX_BYTES, messageMaxBytes, "create it with " + MAX_MESSAGE_BYTES
                        + ", or raise the brokers' " + BROKER_MESSAGE_MAX_BYTES + ",");
    }

    /** The {@code topic.max.message.bytes} Kafka Streams will create changelog topic {@code topic} with. */
    static WriteLimit absentChangelog(String topic, int topicMaxMessageBytes) {
        return new WriteLimit("changelog topic '" + topic + "' does not exist yet and Kafka Streams would create it "
                + "with", STREAMS_TOPIC_MAX_MESSAGE_BYTES, topicMaxMessageBytes,
                "raise " + STREAMS_TOPIC_MAX_MESSAGE_BYTES);
    }

    /**
     * The brokers' {@code message.max.bytes}, which changelog topic {@code topic}, not created yet, will
     * get when {@code topic.max.message.bytes} is not set.
     */
    static WriteLimit absentChangelogAtBrokerDefault(String topic, int messageMaxBytes) {
        return new WriteLimit("changelog topic '" + topic + "' does not exist yet and Kafka Streams would create it "
                + "with the brokers'", BROKER_MESSAGE_MAX_BYTES, messageMaxBytes, "set "
                + STREAMS_TOPIC_MAX_MESSAGE_BYTES + ", or raise the brokers' " + BROKER_MESSAGE_MAX_BYTES + ",");
    }

    /**
     * The producer's {@code max.request.size}, given under {@code setting}
     * ({@code producer.max.request.size} or {@code max.request.size}), or Kafka's default when
     * {@code setting} is null.
     */
    static WriteLimit producer(String setting, int maxRequestSize) {
        String prefixed = StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        return setting == null
                ? new WriteLimit("the producer has Kafka's default", ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        maxRequestSize, "set " + prefixed)
                : new WriteLimit("the producer has", setting, maxRequestSize, "raise " + setting);
    }
}
