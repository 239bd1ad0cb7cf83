package dev.qrnnstreams.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The settings of one Kafka node that is both broker and controller, listening on 127.0.0.1 only.
 * Every internal topic has replication factor 1 and min ISR 1, so consumer groups and transactions
 * work on a single node; the group and transaction logs have few partitions, the log cleaner a small
 * buffer, and new groups rebalance at once, to start fast and stay small. Keys are the documented
 * broker setting names rather than constants of Kafka's server modules, whose packages move between
 * releases.
 */
final class SingleNodeKraftConfig {
    private static final int NODE_ID = 1;
    private static final String INTERNAL_TOPIC_PARTITIONS = "3";
    private static final String CLEANER_BUFFER_BYTES = String.valueOf(2 * 1024 * 1024);

    private final int brokerPort;
    private final Map<String, String> settings;

    private SingleNodeKraftConfig(int brokerPort, Map<String, String> settings) {
        this.brokerPort = brokerPort;
        this.settings = Map.copyOf(settings);
    }

    SingleNodeKraftConfig(Path logDirectory, int brokerPort, int controllerPort) {
        this.brokerPort = brokerPort;
        String host = LoopbackPorts.HOST;
        Map<String, String> s = new TreeMap<>();
        s.put("process.roles", "broker,controller");
        s.put("node.id", String.valueOf(NODE_ID));
        s.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        s.put("listeners", "PLAINTEXT://" + host + ":" + brokerPort + ",CONTROLLER://" + host + ":" + controllerPort);
        s.put("advertised.listeners", "PLAINTEXT://" + host + ":" + brokerPort);
        s.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        s.put("controller.listener.names", "CONTROLLER");
        s.put("inter.broker.listener.name", "PLAINTEXT");
        s.put("log.dirs", logDirectory.toString());
        s.put("offsets.topic.replication.factor", "1");
        s.put("offsets.topic.num.partitions", INTERNAL_TOPIC_PARTITIONS);
        s.put("transaction.state.log.replication.factor", "1");
        s.put("transaction.state.log.min.isr", "1");
        s.put("transaction.state.log.num.partitions", INTERNAL_TOPIC_PARTITIONS);
        s.put("share.coordinator.state.topic.replication.factor", "1");
        s.put("share.coordinator.state.topic.min.isr", "1");
        s.put("share.coordinator.state.topic.num.partitions", INTERNAL_TOPIC_PARTITIONS);
        s.put("group.initial.rebalance.delay.ms", "0");
        s.put("group.streams.initial.rebalance.delay.ms", "0");
        s.put("log.cleaner.dedupe.buffer.size", CLEANER_BUFFER_BYTES);
        this.settings = Map.copyOf(s);
    }

    /**
     * These settings plus a {@code SECURE} listener on {@code port} that requires TLS and SASL/SCRAM
     * ({@code SASL_SSL}) with the broker's keystore; brokers and the controller keep talking in plain text.
     */
    SingleNodeKraftConfig withSaslSslListener(int port, SaslSslListener listener) {
        Map<String, String> s = new TreeMap<>(settings);
        String secure = "SECURE://" + LoopbackPorts.HOST + ":" + port;
        s.put("listeners", settings.get("listeners") + "," + secure);
        s.put("advertised.listeners", settings.get("advertised.listeners") + "," + secure);
        s.put("listener.security.protocol.map", settings.get("listener.security.protocol.map") + ",SECURE:SASL_SSL");
        String prefix = "listener.name.secure.";
        s.put("sasl.enabled.mechanisms", SaslSslListener.MECHANISM);
        s.put(prefix + "sasl.enabled.mechanisms", SaslSslListener.MECHANISM);
        s.put(prefix + SaslSslListener.MECHANISM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        s.put(prefix + "ssl.keystore.type", "PKCS12");
        s.put(prefix + "ssl.keystore.location", listener.keystore().toString());
        s.put(prefix + "ssl.keystore.password", listener.keystorePassword());
        s.put(prefix + "ssl.key.password", listener.keystorePassword());
        return new SingleNodeKraftConfig(brokerPort, s);
    }

    Map<String, String> settings() {
        return settings;
    }

    String bootstrapServers() {
        return LoopbackPorts.HOST + ":" + brokerPort;
    }

    /** Writes the settings as a properties file, the form Kafka's storage tool reads. */
    void writeTo(Path file) {
        Properties properties = new Properties();
        properties.putAll(settings);
        try (OutputStream out = Files.newOutputStream(file)) {
            properties.store(out, "single-node KRaft broker and controller");
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }
}
