package dev.qrnnstreams.streams;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a failed stream thread's static member out of the consumer group, so that the thread that replaces it
 * is served at once instead of after the failed member's session timeout.
 *
 * <p>Under static membership each stream thread's consumer joins as {@code <group.instance.id>-<n>}, n the
 * thread's number. Kafka Streams replaces a failed thread with one of a new number and closes the failed
 * thread's consumer without leaving the group, as static members do; the replacement's join then starts a
 * rebalance that waits for the failed member until its {@code session.timeout.ms} (45 s by default) runs out,
 * and no partition is served meanwhile (measured in the reliability suite's registry-outage scenarios). Kafka
 * Streams' own {@code removeStreamThread} removes the member of a thread it stops in the same way.
 *
 * <p>Thread-safe; the removal is asynchronous, its outcome logged.
 */
final class FailedMemberRemoval implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FailedMemberRemoval.class);
    private static final Pattern STREAM_THREAD = Pattern.compile("-StreamThread-(\\d+)$");
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Admin admin;
    private final String groupId;
    private final String groupInstanceId;

    /**
     * @param admin an admin client of the group's cluster, closed by {@link #close()}
     * @param groupId the consumer group, the application id
     * @param groupInstanceId the instance's static id, which its threads' ids extend
     */
    FailedMemberRemoval(Admin admin, String groupId, String groupInstanceId) {
        this.admin = admin;
        this.groupId = groupId;
        this.groupInstanceId = groupInstanceId;
    }

    /** The static member id of the stream thread named {@code threadName}, if it is a stream thread. */
    static Optional<String> memberOf(String threadName, String groupInstanceId) {
        Matcher matcher = STREAM_THREAD.matcher(threadName);
        return matcher.find() ? Optional.of(groupInstanceId + "-" + matcher.group(1)) : Optional.empty();
    }

    /** Asks the group coordinator to remove the member of the failed stream thread named {@code threadName}. */
    void remove(String threadName) {
        Optional<String> member = memberOf(threadName, groupInstanceId);
        if (member.isEmpty()) {
            return;
        }
        admin.removeMembersFromConsumerGroup(groupId, new RemoveMembersFromConsumerGroupOptions(
                List.of(new MemberToRemove(member.get())))).all().whenComplete((done, failure) -> {
                    if (failure == null) {
                        LOG.info("Removed the failed thread's static member {} from group {}, so that its "
                                + "replacement is served without waiting for the member's session timeout",
                                member.get(), groupId);
                    } else {
                        LOG.warn("Could not remove the failed thread's static member {} from group {} ({}); "
                                + "its partitions move when its session times out", member.get(), groupId,
                                failure.getMessage());
                    }
                });
    }

    @Override
    public void close() {
        admin.close(CLOSE_TIMEOUT);
    }
}
