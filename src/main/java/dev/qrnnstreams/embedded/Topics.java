package dev.qrnnstreams.embedded;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates topics and returns once every partition has a leader. A producer that starts sending to a
 * topic whose leader election is still running can get {@code NOT_LEADER_OR_FOLLOWER} for its first
 * batch and, after later batches were appended, {@code OUT_OF_ORDER_SEQUENCE_NUMBER} for that batch's
 * retry, over and over; waiting for the leaders first avoids that race.
 */
public final class Topics {
    private static final long POLL_MILLIS = 50;

    private Topics() {
    }

    /**
     * Creates {@code names}, each with {@code partitions} partitions and replication factor 1, on the
     * cluster at {@code bootstrapServers}, and waits up to {@code timeout} for their leaders.
     *
     * @throws IllegalStateException if creation fails or a partition has no leader in time
     */
    public static void create(String bootstrapServers, int partitions, Duration timeout, String... names) {
        int timeoutMs = (int) timeout.toMillis();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs))) {
            admin.createTopics(Arrays.stream(names).map(name -> new NewTopic(name, partitions, (short) 1)).toList())
                    .all().get(timeoutMs, TimeUnit.MILLISECONDS);
            awaitLeaders(admin, List.of(names), System.nanoTime() + timeout.toNanos());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create topics " + Arrays.toString(names), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics " + Arrays.toString(names), e);
        }
    }

    private static void awaitLeaders(Admin admin, List<String> names, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        while (true) {
            if (allLed(admin, names, deadline)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("a partition of " + names + " has no leader yet");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** Whether every partition of {@code names} has a leader; false while the broker does not know a topic yet. */
    private static boolean allLed(Admin admin, List<String> names, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames()
                    .get(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            return topics.values().stream().flatMap(topic -> topic.partitions().stream()).allMatch(Topics::hasLeader);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw e;
        }
    }

    private static boolean hasLeader(TopicPartitionInfo partition) {
        return partition.leader() != null && !partition.leader().isEmpty();
    }
}
