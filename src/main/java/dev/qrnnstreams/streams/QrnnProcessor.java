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
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serializer;
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
 * exactly one output or one dead letter. The same punctuation asks for an early commit when the task has
 * caught up with its input ({@link CommitPacer}). A second punctuation drops the state of keys idle for
 * {@link TopologySettings#idleTimeout}. The task's metrics count the dead letters that the exception
 * handlers write for its records too ({@link DeadLetterCounter}).
 *
 * <p>Nothing an input holds can make a write fail: the key and value are bounded before decoding
 * ({@link RecordLimits}); outputs are encoded here, and one over {@link RecordLimits#recordBytes} is
 * replaced by the input's dead letter; dead letters keep a bounded prefix of the raw bytes; and the
 * source's {@link ClampedTimestampExtractor} keeps timestamps writable.
 *
 * <p>Under exactly-once processing the buffer, the key states, the outputs and the input offsets
 * commit atomically: after a crash, a restarted task restores the buffer from its changelog and steps
 * what was buffered once. An error the registry reports for reasons other than an unknown schema id
 * (it cannot be reached, say) is not the record's fault: it is thrown, so the task retries from its
 * last commit instead of dead-lettering good records.
 *
 * <p>One instance per task, confined to its stream thread; it owns its {@link QrnnBackend}.
 */
final class QrnnProcessor implements Processor<byte[], byte[], byte[], byte[]> {
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
    private final DeadLetterWriter deadLetters;
    private final DeadLetterCounter deadLetterCounter;
    private final ThreadCommitRequests commitRequests;
    private final Clock clock;
    private ProcessorContext<byte[], byte[]> context;
    private ProcessorMetrics metrics;
    private PendingBuffer buffer;
    private KeyStateStore keyStates;
    private QrnnBackend backend;
    private BatchStep batchStep;
    private CommitPacer commits;

    QrnnProcessor(TopologySettings settings, ModelCatalog models, StreamSerdes serdes,
                  Supplier<QrnnBackend> backends, DeadLetterCounter deadLetterCounter,
                  ThreadCommitRequests commitRequests, Clock clock) {
        this.settings = settings;
        this.models = models;
        this.serdes = serdes;
        this.backends = backends;
        this.validator = new InputValidator(settings.limits(), models);
        this.deadLetters = new DeadLetterWriter(settings.deadLetterTopic(), settings.limits().deadLetterRawBytes(),
                serdes.deadLetters(), clock);
        this.deadLetterCounter = deadLetterCounter;
        this.commitRequests = commitRequests;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        metrics = new ProcessorMetrics(context.metrics(), Thread.currentThread().getName(),
                context.taskId().toString());
        deadLetterCounter.register(context.taskId(), metrics);
        KeyValueStore<Long, byte[]> pending = context.getStateStore(PENDING_STORE);
        KeyValueStore<Bytes, byte[]> stateStore = context.getStateStore(STATE_STORE);
        buffer = new PendingBuffer(pending);
        keyStates = new KeyStateStore(stateStore, settings.statePrecision(), settings.limits().recordBytes(), metrics,
                clock);
        backend = backends.get();
        batchStep = new BatchStep(models.routes(backend, settings.segmentMaxTokens(), settings.limits().textChars(),
                metrics, clock), keyStates, metrics, new ForwardingOutputs());
        commits = new CommitPacer(settings.earlyCommits().backlogAge(), commitRequests, context.metrics());
        Duration tick = settings.maxBatchLatency().dividedBy(2);
        context.schedule(tick.isZero() ? Duration.ofMillis(1) : tick, PunctuationType.WALL_CLOCK_TIME,
                now -> flushIfDueAndMaybeCommit());
        context.schedule(settings.expiryScanInterval(), PunctuationType.WALL_CLOCK_TIME, now -> expireIdleKeys());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        metrics.recordIn();
        RecordMetadata source = context.recordMetadata().orElseThrow();
        Optional<Rejection> rejection = validator.checkRaw(record.key(), record.value());
        TextEvent event = null;
        if (rejection.isEmpty()) {
            try {
                event = serdes.textEvents().deserialize(source.topic(), record.value());
                rejection = validator.check(event);
            } catch (UnknownSchemaException e) {
                rejection = Optional.of(Rejection.of(ErrorKind.UNKNOWN_SCHEMA, "decoding the value", e));
            } catch (RegistryException e) {
                throw e;
            } catch (RuntimeException e) {
                rejection = Optional.of(Rejection.of(ErrorKind.DESERIALIZATION, "decoding the value", e));
            }
        }
        if (rejection.isPresent()) {
            deadLetter(source.topic(), source.partition(), source.offset(), record.key(), record.value(),
                    record.timestamp(), rejection.get());
            commits.written();
            return;
        }
        buffer.append(pending(source, record, event));
        if (buffer.size() >= settings.maxBatchRecords()) {
            flush();
        }
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

    private void flushIfDueAndMaybeCommit() {
        if (buffer.size() > 0
                && clock.millis() - buffer.oldestReceivedAt() >= settings.maxBatchLatency().toMillis()) {
            flush();
        }
        if (commits.commitDue(clock.millis())) {
            context.commit();
        }
    }

    private void flush() {
        List<PendingEvent> events = buffer.drain();
        if (!events.isEmpty()) {
            batchStep.run(events);
            commits.batchStepped(events.stream().mapToLong(PendingEvent::getTimestamp).max().orElseThrow(),
                    clock.millis());
        }
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
        metrics.deadLetter(rejection.kind());
        DeadLetter letter = deadLetters.letter(topic, partition, offset, key, value, rejection);
        byte[] encoded;
        try {
            encoded = deadLetters.encode(letter);
        } catch (RegistryException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("The dead letter of {}-{}@{} cannot be encoded; it is dropped", topic, partition, offset, e);
            return;
        }
        context.forward(new Record<>(deadLetters.recordKey(key), encoded, timestamp), DEAD_LETTER_SINK);
    }

    @Override
    public void close() {
        if (metrics != null) {
            deadLetterCounter.unregister(context.taskId(), metrics);
            metrics.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    /**
     * Sends a step's results to the sinks, each encoded here so that one that cannot be encoded or is
     * over the record bound becomes its input's dead letter instead of a failed write.
     */
    private final class ForwardingOutputs implements Outputs {
        @Override
        public void classification(PendingEvent source, Classification classification) {
            if (send(source, CLASSIFICATIONS_SINK, settings.classificationsTopic(), serdes.classifications(),
                    classification)) {
                metrics.output(classification.getProcessingLatencyMicros());
            }
        }

        @Override
        public void translation(PendingEvent source, Translation translation) {
            if (send(source, TRANSLATIONS_SINK, settings.translationsTopic(), serdes.translations(), translation)) {
                metrics.output(Math.max(0, ChronoUnit.MICROS.between(source.getReceivedAt(), clock.instant())));
            }
        }

        private <T> boolean send(PendingEvent source, String sink, String topic, Serializer<T> serializer, T output) {
            byte[] key = Buffers.bytes(source.getKey());
            byte[] value;
            try {
                value = serializer.serialize(topic, output);
            } catch (RegistryException e) {
                throw e;
            } catch (RuntimeException e) {
                deadLetter(source, Rejection.of(ErrorKind.PRODUCTION, "encoding the output for " + topic, e));
                return false;
            }
            int size = key.length + value.length;
            if (size > settings.limits().recordBytes()) {
                deadLetter(source, new Rejection(ErrorKind.OUTPUT_TOO_LARGE, "the output for " + topic + " has "
                        + size + " bytes; the record limit is " + settings.limits().recordBytes()));
                return false;
            }
            context.forward(new Record<>(key, value, source.getTimestamp()), sink);
            return true;
        }

        @Override
        public void deadLetter(PendingEvent source, Rejection rejection) {
            QrnnProcessor.this.deadLetter(source.getTopic(), source.getPartition(), source.getOffset(),
                    Buffers.bytes(source.getKey()), Buffers.bytes(source.getValue()), source.getTimestamp(),
                    rejection);
        }
    }
}
