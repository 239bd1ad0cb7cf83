package dev.qrnnstreams.streams;

import dev.qrnnstreams.avro.Classification;
import dev.qrnnstreams.avro.ErrorKind;
import dev.qrnnstreams.avro.internal.KeyState;
import dev.qrnnstreams.avro.internal.PendingEvent;
import dev.qrnnstreams.inference.StreamingClassifier;
import dev.qrnnstreams.nn.QrnnBackend;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.QrnnStateCodec;
import dev.qrnnstreams.nn.StateEncodingException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steps a drained buffer through the models as few batched calls as per-key order allows: round r
 * takes the r-th buffered record of every key, so each key's records apply in arrival order while
 * all keys of a round share one batched step per model. Each record yields exactly one
 * classification or one dead letter.
 *
 * <p>A record with {@code resetState} starts from the initial state; after a record with
 * {@code endOfSegment} the key's state returns to initial. A key whose stored state was written by
 * another model version, or cannot be read, starts afresh (logged and counted). A state that has
 * seen no tokens equals the initial state and is deleted rather than stored.
 *
 * <p>Confined to the stream thread of its task.
 */
final class BatchStep {
    private static final Logger LOG = LoggerFactory.getLogger(BatchStep.class);
    private final ModelCatalog models;
    private final KeyStates states;
    private final QrnnStateCodec codec;
    private final QrnnBackend backend;
    private final ProcessorMetrics metrics;
    private final Outputs outputs;
    private final Clock clock;

    BatchStep(ModelCatalog models, KeyStates states, QrnnStateCodec codec, QrnnBackend backend,
              ProcessorMetrics metrics, Outputs outputs, Clock clock) {
        this.models = models;
        this.states = states;
        this.codec = codec;
        this.backend = backend;
        this.metrics = metrics;
        this.outputs = outputs;
        this.clock = clock;
    }

    void run(List<PendingEvent> events) {
        Map<Bytes, ArrayDeque<PendingEvent>> queues = new LinkedHashMap<>();
        for (PendingEvent event : events) {
            queues.computeIfAbsent(KeyStates.storeKey(event.getModel(), bytes(event.getKey())),
                    key -> new ArrayDeque<>()).add(event);
        }
        Map<Bytes, KeySession> sessions = new LinkedHashMap<>();
        while (!queues.isEmpty()) {
            Map<String, List<Work>> round = new LinkedHashMap<>();
            Iterator<Map.Entry<Bytes, ArrayDeque<PendingEvent>>> keys = queues.entrySet().iterator();
            while (keys.hasNext()) {
                Map.Entry<Bytes, ArrayDeque<PendingEvent>> key = keys.next();
                PendingEvent event = key.getValue().poll();
                if (key.getValue().isEmpty()) {
                    keys.remove();
                }
                Optional<StreamingClassifier> classifier = models.classifier(event.getModel());
                if (classifier.isEmpty()) {
                    outputs.deadLetter(event, new Rejection(ErrorKind.UNKNOWN_MODEL,
                            "no model named '" + event.getModel() + "' is served any more; serving " + models.names()));
                    continue;
                }
                KeySession session = sessions.computeIfAbsent(key.getKey(),
                        k -> load(k, event.getModel(), classifier.get()));
                round.computeIfAbsent(event.getModel(), model -> new ArrayList<>()).add(new Work(event, session));
            }
            round.forEach(this::step);
        }
        Instant now = clock.instant();
        sessions.forEach((key, session) -> save(session, now));
        metrics.keysWithState(states.approximateCount());
    }

    private void step(String model, List<Work> work) {
        StreamingClassifier classifier = models.classifier(model).orElseThrow();
        List<Work> ready = new ArrayList<>(work.size());
        List<QrnnState> inputs = new ArrayList<>(work.size());
        List<int[]> tokens = new ArrayList<>(work.size());
        for (Work item : work) {
            try {
                int[] ids = classifier.tokenize(item.event.getText());
                QrnnState from = item.event.getResetState() ? classifier.initialState() : item.session.state();
                ready.add(item);
                inputs.add(from);
                tokens.add(ids);
            } catch (RuntimeException e) {
                outputs.deadLetter(item.event, processingError("tokenizing", e));
            }
        }
        if (ready.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        List<StreamingClassifier.Prediction> predictions;
        try {
            predictions = classifier.advance(backend, inputs, tokens);
        } catch (RuntimeException e) {
            LOG.error("A batched step of model {} over {} records failed; they go to the dead-letter topic",
                    model, ready.size(), e);
            ready.forEach(item -> outputs.deadLetter(item.event, processingError("the model step", e)));
            return;
        }
        metrics.batch(ready.size(), (System.nanoTime() - start) / 1_000);
        Instant now = clock.instant();
        for (int i = 0; i < ready.size(); i++) {
            Work item = ready.get(i);
            StreamingClassifier.Prediction prediction = predictions.get(i);
            outputs.classification(item.event, classification(model, classifier, item.event, prediction, now));
            item.session.update(item.event.getEndOfSegment() ? classifier.initialState() : prediction.state());
        }
    }

    private KeySession load(Bytes storeKey, String model, StreamingClassifier classifier) {
        QrnnState state = states.get(storeKey).flatMap(stored -> usable(stored, classifier))
                .orElseGet(classifier::initialState);
        return new KeySession(storeKey, model, state);
    }

    private Optional<QrnnState> usable(KeyState stored, StreamingClassifier classifier) {
        if (!stored.getModelVersion().equals(classifier.version())) {
            LOG.info("A key's state was written by model {} version {}; version {} now serves it, so the key "
                    + "starts afresh", stored.getModelName(), stored.getModelVersion(), classifier.version());
            metrics.stateReset();
            return Optional.empty();
        }
        try {
            QrnnState state = QrnnStateCodec.decode(bytes(stored.getQrnnState()));
            if (classifier.fits(state)) {
                return Optional.of(state);
            }
            LOG.warn("A stored state of model {} does not fit its stack; the key starts afresh", stored.getModelName());
        } catch (StateEncodingException e) {
            LOG.warn("A stored state of model {} cannot be decoded; the key starts afresh", stored.getModelName(), e);
        }
        metrics.stateReset();
        return Optional.empty();
    }

    private void save(KeySession session, Instant now) {
        if (!session.touched()) {
            return;
        }
        if (session.state().tokensSeen() == 0) {
            states.delete(session.storeKey());
            return;
        }
        StreamingClassifier classifier = models.classifier(session.model()).orElseThrow();
        states.put(session.storeKey(), KeyState.newBuilder()
                .setModelName(session.model())
                .setModelVersion(classifier.version())
                .setUpdatedAt(now)
                .setQrnnState(ByteBuffer.wrap(codec.encode(session.state())))
                .build());
    }

    private static Classification classification(String model, StreamingClassifier classifier, PendingEvent event,
                                                 StreamingClassifier.Prediction prediction, Instant now) {
        List<String> labels = classifier.labels();
        Map<String, Float> scores = new LinkedHashMap<>();
        for (int c = 0; c < labels.size(); c++) {
            scores.put(labels.get(c), prediction.probabilities()[c]);
        }
        return Classification.newBuilder()
                .setEventId(event.getEventId())
                .setKey(new String(bytes(event.getKey()), StandardCharsets.UTF_8))
                .setLabel(labels.get(prediction.label()))
                .setScores(scores)
                .setTokensSeen(prediction.state().tokensSeen())
                .setModelName(model)
                .setModelVersion(classifier.version())
                .setProcessingLatencyMicros(Math.max(0, ChronoUnit.MICROS.between(event.getReceivedAt(), now)))
                .build();
    }

    private static Rejection processingError(String during, RuntimeException e) {
        return new Rejection(ErrorKind.PROCESSING, during + " failed: " + e);
    }

    static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer view = buffer.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }

    private record Work(PendingEvent event, KeySession session) {
    }
}
