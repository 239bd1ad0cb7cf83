package dev.qrnnstreams.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeConfigsResult;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Reads the limits the brokers put on the service's writes, through an {@link Admin} client: each
 * topic's {@code max.message.bytes} (DescribeConfigs), and for a topic not created yet the limit it will
 * be created with: the {@code topic.max.message.bytes} of the Streams settings for a changelog where it is
 * set, otherwise the smallest {@code message.max.bytes} among the brokers (DescribeCluster, then
 * DescribeConfigs; asked only when needed).
 *
 * <p>Needs DescribeConfigs on the topics, and on the cluster when a topic does not exist yet.
 */
final class ClusterWriteLimits {
    private final Admin admin;
    private final int timeoutMs;

    /** Asks through {@code admin}, waiting at most {@code timeout} for each answer. */
    ClusterWriteLimits(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    }

    /**
     * The limits on writes to {@code outputTopics} and to {@code changelogTopics}, one per topic, in that
     * order; {@code changelogDefault} is the {@code topic.max.message.bytes} Kafka Streams creates its
     * changelog topics with, if set.
     *
     * @throws ExecutionException if the broker refused a request (not authorised, say)
     * @throws TimeoutException if an answer did not come in time
     * @throws KafkaException if the brokers' answer lacks a limit
     */
    List<WriteLimit> read(List<String> outputTopics, List<String> changelogTopics, OptionalInt changelogDefault)
            throws ExecutionException, InterruptedException, TimeoutException {
        List<String> topics = new ArrayList<>(outputTopics);
        topics.addAll(changelogTopics);
        Map<String, OptionalInt> existing = topicLimits(topics);
        OptionalInt brokerDefault = OptionalInt.empty();
        List<WriteLimit> limits = new ArrayList<>();
        for (String topic : topics) {
            OptionalInt configured = existing.get(topic);
            if (configured.isPresent()) {
                limits.add(WriteLimit.topic(topic, configured.getAsInt()));
            } else if (changelogTopics.contains(topic) && changelogDefault.isPresent()) {
                limits.add(WriteLimit.absentChangelog(topic, changelogDefault.getAsInt()));
            } else {
                if (brokerDefault.isEmpty()) {
                    brokerDefault = OptionalInt.of(smallestBrokerLimit());
                }
                limits.add(changelogTopics.contains(topic)
                        ? WriteLimit.absentChangelogAtBrokerDefault(topic, brokerDefault.getAsInt())
                        : WriteLimit.absentTopic(topic, brokerDefault.getAsInt()));
            }
        }
        return limits;
    }

    /** Each topic's {@code max.message.bytes}; empty for a topic that does not exist. */
    private Map<String, OptionalInt> topicLimits(List<String> topics)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<String, ConfigResource> resources = new LinkedHashMap<>();
        topics.forEach(topic -> resources.put(topic, new ConfigResource(ConfigResource.Type.TOPIC, topic)));
        DescribeConfigsResult described = admin.describeConfigs(resources.values(), options());
        Map<String, OptionalInt> limits = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigResource> topic : resources.entrySet()) {
            try {
                Config config = described.values().get(topic.getValue()).get(timeoutMs, TimeUnit.MILLISECONDS);
                limits.put(topic.getKey(), OptionalInt.of(intValue(config, TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                        "topic " + topic.getKey())));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                limits.put(topic.getKey(), OptionalInt.empty());
            }
        }
        return limits;
    }

    /** The smallest {@code message.max.bytes} among the brokers, the limit a topic is created with by default. */
    private int smallestBrokerLimit() throws ExecutionException, InterruptedException, TimeoutException {
        Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).nodes()
                .get(timeoutMs, TimeUnit.MILLISECONDS);
        List<ConfigResource> brokers = nodes.stream()
                .map(node -> new ConfigResource(ConfigResource.Type.BROKER, node.idString())).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(brokers, options()).all()
                .get(timeoutMs, TimeUnit.MILLISECONDS);
        int smallest = Integer.MAX_VALUE;
        for (Map.Entry<ConfigResource, Config> broker : configs.entrySet()) {
            smallest = Math.min(smallest, intValue(broker.getValue(), WriteLimit.BROKER_MESSAGE_MAX_BYTES,
                    "broker " + broker.getKey().name()));
        }
        if (configs.isEmpty()) {
            throw new KafkaException("the cluster named no broker");
        }
        return smallest;
    }

    private DescribeConfigsOptions options() {
        return new DescribeConfigsOptions().timeoutMs(timeoutMs);
    }

    private static int intValue(Config config, String name, String owner) {
        ConfigEntry entry = config.get(name);
        if (entry == null || entry.value() == null) {
            throw new KafkaException(owner + " did not report its " + name);
        }
        try {
            return Integer.parseInt(entry.value());
        } catch (NumberFormatException e) {
            throw new KafkaException(owner + " reported " + name + "=" + entry.value() + ", not a number of bytes", e);
        }
    }
}
