package dev.qrnnstreams.streams;

import dev.qrnnstreams.nn.QrnnBackend;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the service's topology, free of side effects:
 *
 * <pre>
 *   input topic (bytes) --> qrnn processor --+--> classifications topic
 *                            |  qrnn-pending   +--> translations topic
 *                            |  qrnn-key-state +--> dead-letter topic
 * </pre>
 *
 * <p>The source reads raw bytes so that a record that cannot be decoded reaches the processor, which
 * dead-letters it with its partition and offset; the processor encodes every output itself, so the
 * sinks write bytes. The source stamps records with {@link ClampedTimestampExtractor}'s timestamps,
 * which every output, dead letter and changelog record carries. Both stores are persistent (RocksDB), changelogged
 * and cached, so a record buffered and stepped within one commit interval costs no changelog write
 * for the buffer.
 */
public final class QrnnTopology {
    static final String SOURCE = "text-events-source";
    static final String PROCESSOR = "qrnn-processor";

    private QrnnTopology() {
    }

    /**
     * The topology for {@code settings}, reading and writing with {@code serdes}, serving
     * {@code models}, each task stepping on its own backend from {@code backends} and counting its dead
     * letters, the exception handlers' too, through {@code deadLetters} (give the handlers the same one:
     * {@link QrnnService#deadLetterHandlers}).
     */
    public static Topology build(TopologySettings settings, StreamSerdes serdes, ModelCatalog models,
                                 Supplier<QrnnBackend> backends, DeadLetterCounter deadLetters) {
        return build(settings, serdes, models, backends, deadLetters, Clock.systemUTC());
    }

    static Topology build(TopologySettings settings, StreamSerdes serdes, ModelCatalog models,
                          Supplier<QrnnBackend> backends, DeadLetterCounter deadLetters, Clock clock) {
        Topology topology = new Topology();
        topology.addSource((AutoOffsetReset) null, SOURCE, new ClampedTimestampExtractor(clock),
                new ByteArrayDeserializer(), new ByteArrayDeserializer(), settings.inputTopic());
        ThreadCommitRequests commitRequests = new ThreadCommitRequests(settings.earlyCommits().interval());
        topology.addProcessor(PROCESSOR, () -> new QrnnProcessor(settings, models, serdes, backends, deadLetters,
                commitRequests, clock),
                SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(QrnnProcessor.PENDING_STORE), Serdes.Long(), Serdes.ByteArray())
                .withLoggingEnabled(Map.of()).withCachingEnabled(), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(QrnnProcessor.STATE_STORE), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingEnabled(Map.of()).withCachingEnabled(), PROCESSOR);
        ByteArraySerializer bytes = new ByteArraySerializer();
        topology.addSink(QrnnProcessor.CLASSIFICATIONS_SINK, settings.classificationsTopic(), bytes, bytes, PROCESSOR);
        topology.addSink(QrnnProcessor.TRANSLATIONS_SINK, settings.translationsTopic(), bytes, bytes, PROCESSOR);
        topology.addSink(QrnnProcessor.DEAD_LETTER_SINK, settings.deadLetterTopic(), bytes, bytes, PROCESSOR);
        return topology;
    }

    /**
     * The changelog topics Kafka Streams creates for the topology's stores under {@code applicationId}, named
     * as it names them: {@code <application.id>-<store>-changelog}.
     */
    static List<String> changelogTopics(String applicationId) {
        return Stream.of(QrnnProcessor.PENDING_STORE, QrnnProcessor.STATE_STORE)
                .map(store -> applicationId + "-" + store + "-changelog").toList();
    }
}
