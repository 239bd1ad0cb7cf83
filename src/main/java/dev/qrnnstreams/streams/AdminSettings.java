package dev.qrnnstreams.streams;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The settings of the service's own admin clients (the start-up check of the topics' limits, the removal of a
 * failed thread's static member), picked from the Kafka Streams settings as Kafka Streams picks its own admin
 * client's, so that the connection, TLS and SASL settings apply to them too.
 */
final class AdminSettings {
    private AdminSettings() {
    }

    /**
     * The admin client settings among {@code streams}, overridden by {@code admin.}-prefixed ones, under
     * {@code clientId}.
     */
    static Map<String, Object> of(Properties streams, String clientId) {
        Map<String, Object> admin = new HashMap<>();
        Set<String> names = AdminClientConfig.configNames();
        for (String setting : streams.stringPropertyNames()) {
            if (names.contains(setting)) {
                admin.putIfAbsent(setting, streams.getProperty(setting));
            } else if (setting.startsWith(StreamsConfig.ADMIN_CLIENT_PREFIX)) {
                admin.put(setting.substring(StreamsConfig.ADMIN_CLIENT_PREFIX.length()), streams.getProperty(setting));
            }
        }
        admin.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return admin;
    }
}
