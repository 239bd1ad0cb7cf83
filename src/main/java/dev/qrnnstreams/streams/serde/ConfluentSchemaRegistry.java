package dev.qrnnstreams.streams.serde;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.CachedSchemaRegistryClient;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.MockSchemaRegistryClient;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaRegistryClient;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException;

/**
 * {@link SchemaRegistry} on the genuine Confluent client ({@code CachedSchemaRegistryClient} 7.5.3,
 * relocated inside {@code org.apache.flink:flink-sql-avro-confluent-registry}, the only copy on Maven
 * Central). It speaks the Confluent REST API, so it works with Confluent Schema Registry and with
 * registries that implement that API, such as Apicurio's {@code /apis/ccompat/v7}.
 *
 * <p>The client's relocated Avro is not ours: schemas cross the boundary as JSON text. Schemas fetched
 * by id are parsed once and cached. Thread-safe.
 */
public final class ConfluentSchemaRegistry implements SchemaRegistry {
    /** Schemas the client caches per subject. */
    private static final int CLIENT_CACHE_CAPACITY = 1_000;
    private static final int NOT_FOUND = 404;
    private static final int UNAUTHORIZED = 401;
    private static final int FORBIDDEN = 403;

    private final SchemaRegistryClient client;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    ConfluentSchemaRegistry(SchemaRegistryClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * A client for the registries at {@code urls}.
     *
     * @param clientConfig the Confluent client's own settings, passed through: for example
     *     {@code basic.auth.credentials.source=USER_INFO} with {@code basic.auth.user.info=user:secret},
     *     and {@code schema.registry.ssl.truststore.location} and the other
     *     {@code schema.registry.ssl.*} settings for TLS
     */
    public static ConfluentSchemaRegistry connect(List<String> urls, Map<String, ?> clientConfig) {
        return new ConfluentSchemaRegistry(new CachedSchemaRegistryClient(urls, CLIENT_CACHE_CAPACITY, clientConfig));
    }

    /**
     * A registry held in this JVM's memory: the Confluent client's own in-memory implementation
     * ({@code MockSchemaRegistryClient}), with the same id assignment and compatibility checks. For
     * topology tests without a registry server; schemas vanish with the instance.
     */
    public static ConfluentSchemaRegistry inMemory() {
        return new ConfluentSchemaRegistry(new MockSchemaRegistryClient());
    }

    @Override
    public int id(String subject, Schema schema, boolean autoRegister) {
        AvroSchema parsed = new AvroSchema(schema.toString());
        try {
            return autoRegister ? client.register(subject, parsed) : client.getId(subject, parsed);
        } catch (RestClientException e) {
            String message = "schema registry refused " + (autoRegister ? "to register" : "to look up") + " schema "
                    + schema.getFullName() + " under subject " + subject + ": " + e.getMessage();
            throw denied(e) ? new RegistryAccessDeniedException(message, e) : new RegistryException(message, e);
        } catch (IOException e) {
            throw new RegistryException("schema registry refused " + (autoRegister ? "to register" : "to look up")
                    + " schema " + schema.getFullName() + " under subject " + subject + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Schema schema(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        try {
            Schema fetched = new Schema.Parser().parse(client.getSchemaById(id).canonicalString());
            schemasById.put(id, fetched);
            return fetched;
        } catch (RestClientException e) {
            if (e.getStatus() == NOT_FOUND) {
                throw new UnknownSchemaException(id, e);
            }
            if (denied(e)) {
                throw new RegistryAccessDeniedException("schema registry refused schema id " + id + ": "
                        + e.getMessage(), e);
            }
            throw new RegistryException("schema registry failed to return schema id " + id + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new RegistryException("schema registry failed to return schema id " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void checkAccess() {
        try {
            client.getAllSubjects();
        } catch (RestClientException e) {
            String message = "schema registry refused to list the subjects: " + e.getMessage();
            throw denied(e) ? new RegistryAccessDeniedException(message, e) : new RegistryException(message, e);
        } catch (IOException e) {
            throw new RegistryException("schema registry failed to list the subjects: " + e, e);
        }
    }

    private static boolean denied(RestClientException e) {
        return e.getStatus() == UNAUTHORIZED || e.getStatus() == FORBIDDEN;
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            throw new RegistryException("closing the schema registry client failed", e);
        }
    }
}
