package dev.qrnnstreams.perf;

import dev.qrnnstreams.avro.Classification;
import dev.qrnnstreams.avro.TextEvent;
import dev.qrnnstreams.streams.StreamSerdes;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The service's topology without the model and the stores: the same source of raw bytes, the same
 * {@code TextEvent} decoding and {@code Classification} encoding through the registry, one output per
 * input with the input's timestamp; only the classification is a constant. What Kafka, the serdes and
 * exactly-once cost on their own.
 */
final class IdentityTopology {
    private static final String SOURCE = "source";
    private static final String PROCESSOR = "identity";
    private static final String SINK = "sink";

    private IdentityTopology() {
    }

    /** The identity topology from {@code input} to {@code output}. */
    static Topology build(String input, String output, StreamSerdes serdes) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), input);
        topology.addProcessor(PROCESSOR, () -> new Identity(serdes), SOURCE);
        topology.addSink(SINK, output, new StringSerializer(), serdes.classifications(), PROCESSOR);
        return topology;
    }

    /** Decodes each event and forwards a constant classification of it. */
    private static final class Identity implements Processor<byte[], byte[], String, Classification> {
        private final StreamSerdes serdes;
        private ProcessorContext<String, Classification> context;

        Identity(StreamSerdes serdes) {
            this.serdes = serdes;
        }

        @Override
        public void init(ProcessorContext<String, Classification> context) {
            this.context = context;
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            String topic = context.recordMetadata().orElseThrow().topic();
            TextEvent event = serdes.textEvents().deserialize(topic, record.value());
            Classification output = Classification.newBuilder().setEventId(event.getEventId())
                    .setKey(event.getEventId()).setLabel("identity").setScores(Map.of()).setTokensSeen(0)
                    .setModelName(PROCESSOR).setModelVersion("0").build();
            context.forward(new Record<>(output.getKey(), output, record.timestamp()));
        }
    }
}
