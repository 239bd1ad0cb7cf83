package dev.qrnnstreams.reliability;

import dev.qrnnstreams.embedded.EmbeddedKafka;
import dev.qrnnstreams.embedded.EmbeddedSchemaRegistry;
import dev.qrnnstreams.embedded.RegistryStorage;
import dev.qrnnstreams.streams.serde.ConfluentSchemaRegistry;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The broker and registry a scenario runs against, with what clients need to reach them: the service's
 * connection settings, the test clients' Kafka settings, and a registry client. The service reaches the
 * registry through a {@link TcpProxy}, so a scenario can take it off the network; a scenario can also
 * stop the registry itself and start it again ({@link #registryServer()}).
 */
class Cluster implements AutoCloseable {
    private final AutoCloseable broker;
    private final String bootstrapServers;
    private final EmbeddedSchemaRegistry registryServer;
    private final TcpProxy registryProxy;
    private final String registryUrl;
    private final ConfluentSchemaRegistry registry;

    Cluster(AutoCloseable broker, String bootstrapServers, EmbeddedSchemaRegistry registryServer) {
        this.broker = broker;
        this.bootstrapServers = bootstrapServers;
        this.registryServer = registryServer;
        URI url = URI.create(registryServer.url());
        this.registryProxy = TcpProxy.to(url.getPort());
        this.registryUrl = url.getScheme() + "://127.0.0.1:" + registryProxy.port() + url.getPath();
        this.registry = ConfluentSchemaRegistry.connect(List.of(registryServer.url()), Map.of());
    }

    /**
     * A broker in this JVM and a registry child process that keeps its schemas in a file, so that it
     * serves them again after a restart, as a real registry does.
     */
    static Cluster embedded() {
        EmbeddedKafka kafka = EmbeddedKafka.start();
        try {
            return new Cluster(kafka, kafka.bootstrapServers(), EmbeddedSchemaRegistry.start(RegistryStorage.FILE));
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    /** Bootstrap servers for the test's own clients. */
    String bootstrapServers() {
        return bootstrapServers;
    }

    /** Bootstrap servers for the service. */
    String serviceBootstrapServers() {
        return bootstrapServers;
    }

    /** The registry URL the service uses: through the proxy. */
    String registryUrl() {
        return registryUrl;
    }

    /** Kafka client settings the test's own clients need besides bootstrap servers (security). */
    Map<String, Object> clientSecurity() {
        return Map.of();
    }

    /** Settings the service needs besides bootstrap servers and the registry URL (security). */
    Map<String, String> serviceSecurity() {
        return Map.of();
    }

    /** A registry client that reaches the registry directly, unaffected by outages of the proxy. */
    ConfluentSchemaRegistry registry() {
        return registry;
    }

    TcpProxy registryProxy() {
        return registryProxy;
    }

    /** The registry process itself, reached directly at its {@link EmbeddedSchemaRegistry#url()}. */
    EmbeddedSchemaRegistry registryServer() {
        return registryServer;
    }

    @Override
    public void close() throws Exception {
        registry.close();
        registryProxy.close();
        registryServer.close();
        broker.close();
    }
}
