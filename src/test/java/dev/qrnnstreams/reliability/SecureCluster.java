package dev.qrnnstreams.reliability;

import dev.qrnnstreams.embedded.EmbeddedKafka;
import dev.qrnnstreams.embedded.EmbeddedSchemaRegistry;
import dev.qrnnstreams.embedded.SaslSslListener;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A cluster the service must authenticate to: the broker's listener requires TLS and SASL/SCRAM-SHA-512,
 * and the registry sits behind HTTPS with basic auth. Every password is random per run. The test's own
 * clients use the broker's plain listener and the registry directly.
 */
final class SecureCluster extends Cluster {
    private final EmbeddedKafka kafka;
    private final HttpsAuthProxy registryProxy;
    private final TestPki pki;
    private final SaslSslListener listener;
    private final String registryUser = "qrnn-registry";
    private final String registryPassword = "reg-" + UUID.randomUUID();
    private final String path;

    private SecureCluster(EmbeddedKafka kafka, EmbeddedSchemaRegistry registry, TestPki pki, SaslSslListener listener)
            throws Exception {
        super(kafka, kafka.bootstrapServers(), registry);
        this.kafka = kafka;
        this.pki = pki;
        this.listener = listener;
        URI url = URI.create(registry.url());
        this.path = url.getPath();
        this.registryProxy = HttpsAuthProxy.start(URI.create(url.getScheme() + "://" + url.getAuthority()), pki,
                registryUser, registryPassword);
    }

    /** Starts the broker, the registry and the HTTPS proxy, with TLS material in {@code directory}. */
    static SecureCluster start(Path directory) throws Exception {
        TestPki pki = TestPki.create(directory);
        SaslSslListener listener = new SaslSslListener(pki.keystore(), pki.password(), "qrnn-service",
                "scram-" + UUID.randomUUID());
        EmbeddedKafka kafka = EmbeddedKafka.startWithSaslSsl(listener);
        try {
            return new SecureCluster(kafka, EmbeddedSchemaRegistry.start(), pki, listener);
        } catch (Exception e) {
            kafka.close();
            throw e;
        }
    }

    @Override
    String serviceBootstrapServers() {
        return kafka.secureBootstrapServers();
    }

    @Override
    String registryUrl() {
        return registryProxy.url() + path;
    }

    @Override
    Map<String, String> serviceSecurity() {
        return settings(listener.password(), registryPassword);
    }

    /** The service's security settings with the given broker and registry passwords. */
    Map<String, String> settings(String brokerPassword, String registryPassword) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("security.protocol", "SASL_SSL");
        settings.put("sasl.mechanism", SaslSslListener.MECHANISM);
        settings.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + listener.user() + "\" password=\"" + brokerPassword + "\";");
        settings.put("ssl.truststore.location", pki.truststore().toString());
        settings.put("ssl.truststore.password", pki.password());
        settings.put("ssl.truststore.type", "PKCS12");
        settings.put("schema.registry.basic.auth.credentials.source", "USER_INFO");
        settings.put("schema.registry.basic.auth.user.info", registryUser + ":" + registryPassword);
        settings.put("schema.registry.ssl.truststore.location", pki.truststore().toString());
        settings.put("schema.registry.ssl.truststore.password", pki.password());
        settings.put("schema.registry.ssl.truststore.type", "PKCS12");
        return settings;
    }

    /** Every secret of this cluster: none may appear in a log, a metric or a dead letter. */
    java.util.List<String> secrets() {
        return java.util.List.of(listener.password(), registryPassword, pki.password());
    }

    HttpsAuthProxy httpsProxy() {
        return registryProxy;
    }

    @Override
    public void close() throws Exception {
        registryProxy.close();
        super.close();
    }
}
