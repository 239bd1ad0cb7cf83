package dev.qrnnstreams.streams;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default static membership id of an instance: its host name and a hash of its absolute state
 * directory, {@code <host>-<12 hex digits>}. Unique among the running instances of one application,
 * because instances on one host cannot share a state directory (Kafka Streams locks it) and hosts are
 * told apart by name; stable across restarts that keep the host name and the state directory, which
 * are the restarts static membership speeds up. Holds only the characters Kafka accepts in an id.
 */
final class StaticMemberId {
    private static final Logger LOG = LoggerFactory.getLogger(StaticMemberId.class);
    private static final int HOST_CHARS = 200;
    private static final int HASH_BYTES = 6;

    private StaticMemberId() {
    }

    /** The id of an instance on this host with state in {@code stateDir}; empty when the host has no name. */
    static Optional<String> derive(String stateDir) {
        try {
            return Optional.of(of(InetAddress.getLocalHost().getHostName(), stateDir));
        } catch (UnknownHostException e) {
            LOG.warn("This host's name is unknown ({}); joining as a dynamic member. Set group.instance.id for "
                    + "static membership", e.getMessage());
            return Optional.empty();
        }
    }

    /** The id of an instance on host {@code host} with state in {@code stateDir}. */
    static String of(String host, String stateDir) {
        String name = host.replaceAll("[^a-zA-Z0-9._-]", "_");
        name = name.substring(0, Math.min(name.length(), HOST_CHARS));
        String directory = Path.of(stateDir).toAbsolutePath().normalize().toString();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(directory.getBytes(StandardCharsets.UTF_8));
            return name + "-" + HexFormat.of().formatHex(digest, 0, HASH_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
