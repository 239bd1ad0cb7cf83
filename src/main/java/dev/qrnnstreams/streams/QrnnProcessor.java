package dev.qrnnstreams.streams;

import dev.qrnnstreams.avro.Classification;
import dev.qrnnstreams.avro.DeadLetter;
import dev.qrnnstreams.avro.ErrorKind;
import dev.qrnnstreams.avro.TextEvent;
import dev.qrnnstreams.avro.Translation;
import dev.qrnnstreams.avro.internal.PendingEvent;
import dev.qrnnstreams.nn.QrnnBackend;
import dev.qrnnstreams.streams.serde.RegistryException;
import dev.qrnnstreams.streams.serde.UnknownSchemaException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stateful heart of the service. Each input record is decoded and checked; a bad one becomes a
 * dead letter at once, a good one joins the task's changelogged {@link PendingBuffer}. The buffer is
 * stepped through the models as one {@link BatchStep} when it holds
 * {@link TopologySettings#maxBatchRecords} records or its oldest record has waited
 * {@link TopologySettings#maxBatchLatency} (a wall-clock punctuation), so every input record yields
 * exactly one output or one dead letter. A second punctuation drops the state of keys idle for
 * {@link TopologySettings#idleTimeout}.
 *
 * <p>Under exactly-once processing the buffer, the key states, the outputs and the input offsets
 * commit atomically: after a crash, a restarted task restores the buffer from its changelog and steps
 * what was buffered once. An error the registry reports for reasons other than an unknown schema id
 * (it cannot be reached, say) is not the record's fault: it is thrown, so the task retries from its
 * last commit instead of dead-lettering good records.
 *
 * <p>One instance per task, confined to its stream thread; it owns its {@link QrnnBackend}.
 */
final class QrnnProcessor implements Processor<byte[], byte[], Object, Object> {
    static final String PENDING_STORE = "qrnn-pending";
    static final String STATE_STORE = "qrnn-key-state";
    static final String CLASSIFICATIONS_SINK = "classifications-sink";
    static final String TRANSLATIONS_SINK = "translations-sink";
    static final String DEAD_LETTER_SINK = "dead-letter-sink";
    private static final Logger LOG = LoggerFactory.getLogger(QrnnProcessor.class);

    private final TopologySettings settings;
    private final ModelCatalog models;
    private final StreamSerdes serdes;
    private final Supplier<QrnnBackend> backends;
    private final InputValidator validator;
    private final Clock clock;
    private ProcessorContext<Object, Object> context;
    private ProcessorMetrics metrics;
    private PendingBuffer buffer;
    private KeyStateStore keyStates;
    private QrnnBackend backend;
    private BatchStep batchStep;

    QrnnProcessor(TopologySettings settings, ModelCatalog models, StreamSerdes serdes,
                  Supplier<QrnnBackend> backends, Clock clock) {
        this.settings = settings;
        this.models = models;
        this.serdes = serdes;
        this.backends = backends;
        this.validator = new InputValidator(settings.maxTextChars(), models);
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        metrics = new ProcessorMetrics(context.metrics(), Thread.currentThread().getName(),
                context.taskId().toString());
        KeyValueStore<Long, byte[]> pending = context.getStateStore(PENDING_STORE);
        KeyValueStore<Bytes, byte[]> stateStore = context.getStateStore(STATE_STORE);
        buffer = new PendingBuffer(pending);
        keyStates = new KeyStateStore(stateStore, settings.statePrecision(), metrics, clock);
        backend = backends.get();
        batchStep = new BatchStep(models.routes(backend, metrics, clock), keyStates, metrics, new ForwardingOutputs());
        Duration tick = settings.maxBatchLatency().dividedBy(2);
        context.schedule(tick.isZero() ? Duration.ofMillis(1) : tick, PunctuationType.WALL_CLOCK_TIME,
                now -> flushIfDue());
        context.schedule(settings.expiryScanInterval(), PunctuationType.WALL_CLOCK_TIME, now -> expireIdleKeys());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        metrics.recordIn();
        RecordMetadata source = context.recordMetadata().orElseThrow();
        Optional<Rejection> rejection = InputValidator.checkKey(record.key());
        TextEvent event = null;
        if (rejection.isEmpty()) {
            try {
                event = decode(source.topic(), record.value());
                rejection = validator.check(event);
            } catch (UnknownSchemaException e) {
                rejection = Optional.of(new Rejection(ErrorKind.UNKNOWN_SCHEMA, e.getMessage()));
            } catch (RegistryException e) {
                throw e;
            } catch (SerializationException e) {
                rejection = Optional.of(new Rejection(ErrorKind.DESERIALIZATION, e.getMessage()));
            }
        }
        if (rejection.isPresent()) {
            deadLetter(source.topic(), source.partition(), source.offset(), record.key(), record.value(),
                    record.timestamp(), rejection.get());
            return;
        }
        buffer.append(pending(source, record, event));
        if (buffer.size() >= settings.maxBatchRecords()) {
            flush();
        }
    }

    private TextEvent decode(String topic, byte[] value) {
        if (value == null) {
            throw new SerializationException("the record has no value");
        }
        return serdes.textEvents().deserialize(topic, value);
    }

    private PendingEvent pending(RecordMetadata source, Record<byte[], byte[]> record, TextEvent event) {
        return PendingEvent.newBuilder()
                .setTopic(source.topic())
                .setPartition(source.partition())
                .setOffset(source.offset())
                .setTimestamp(record.timestamp())
                .setReceivedAt(clock.instant().truncatedTo(ChronoUnit.MICROS))
                .setKey(ByteBuffer.wrap(record.key()))
                .setValue(ByteBuffer.wrap(record.value()))
                .setEventId(event.getEventId())
                .setText(event.getText())
                .setModel(models.resolve(event.getModel()))
                .setResetState(event.getResetState())
                .setEndOfSegment(event.getEndOfSegment())
                .build();
    }

    private void flushIfDue() {
        if (buffer.size() > 0
                && clock.millis() - buffer.oldestReceivedAt() >= settings.maxBatchLatency().toMillis()) {
            flush();
        }
    }

    private void flush() {
        batchStep.run(buffer.drain());
    }

    private void expireIdleKeys() {
        flush();
        int expired = keyStates.expireIdle(settings.idleTimeout());
        if (expired > 0) {
            LOG.info("Dropped the state of {} keys idle for more than {}", expired, settings.idleTimeout());
        }
        metrics.expired(expired);
        metrics.keysWithState(keyStates.approximateCount());
    }

    private void deadLetter(String topic, int partition, long offset, byte[] key, byte[] value, long timestamp,
                            Rejection rejection) {
        LOG.warn("Dead-lettering {}-{}@{}: {}: {}", topic, partition, offset, rejection.kind(), rejection.message());
        DeadLetter letter = DeadLetters.of(topic, partition, offset, key, value, rejection, clock.instant());
        context.forward(new Record<Object, Object>(key, letter, timestamp), DEAD_LETTER_SINK);
        metrics.deadLetter(rejection.kind());
    }

    @Override
    public void close() {
        if (metrics != null) {
            metrics.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    /** Sends a step's results to the sinks. */
    private final class ForwardingOutputs implements Outputs {
        @Override
        public void classification(PendingEvent source, Classification classification) {
            context.forward(new Record<Object, Object>(classification.getKey(), classification,
                    source.getTimestamp()), CLASSIFICATIONS_SINK);
            metrics.output(classification.getProcessingLatencyMicros());
        }

        @Override
        public void translation(PendingEvent source, Translation translation) {
            context.forward(new Record<Object, Object>(translation.getKey(), translation, source.getTimestamp()),
                    TRANSLATIONS_SINK);
            metrics.output(Math.max(0, ChronoUnit.MICROS.between(source.getReceivedAt(), clock.instant())));
        }

        @Override
        public void deadLetter(PendingEvent source, Rejection rejection) {
            QrnnProcessor.this.deadLetter(source.getTopic(), source.getPartition(), source.getOffset(),
                    Buffers.bytes(source.getKey()), Buffers.bytes(source.getValue()), source.getTimestamp(),
                    rejection);
        }
    }
}
