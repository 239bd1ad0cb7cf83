package dev.qrnnstreams.streams;

import dev.qrnnstreams.avro.Classification;
import dev.qrnnstreams.avro.internal.PendingEvent;
import dev.qrnnstreams.inference.StreamingClassifier;
import dev.qrnnstreams.nn.QrnnBackend;
import dev.qrnnstreams.nn.QrnnState;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a classifier: each record advances its key by the message's tokens, all keys of a round in
 * one batched step, and yields the classification of the key's text so far. After a record with
 * {@code endOfSegment} the key starts afresh.
 */
final class ClassifierRoute implements ModelRoute {
    private static final Logger LOG = LoggerFactory.getLogger(ClassifierRoute.class);
    private final String name;
    private final StreamingClassifier classifier;
    private final QrnnBackend backend;
    private final ProcessorMetrics metrics;
    private final Clock clock;

    ClassifierRoute(String name, StreamingClassifier classifier, QrnnBackend backend, ProcessorMetrics metrics,
                    Clock clock) {
        this.name = name;
        this.classifier = classifier;
        this.backend = backend;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public String version() {
        return classifier.version();
    }

    @Override
    public QrnnState initialState() {
        return classifier.initialState();
    }

    @Override
    public boolean fits(QrnnState state) {
        return classifier.fits(state);
    }

    @Override
    public void step(List<RoundItem> round, Outputs outputs) {
        List<RoundItem> ready = new ArrayList<>(round.size());
        List<QrnnState> inputs = new ArrayList<>(round.size());
        List<int[]> tokens = new ArrayList<>(round.size());
        for (RoundItem item : round) {
            try {
                tokens.add(classifier.tokenize(item.event().getText()));
                inputs.add(item.event().getResetState() ? classifier.initialState() : item.session().state());
                ready.add(item);
            } catch (RuntimeException e) {
                outputs.deadLetter(item.event(), Rejection.processing("tokenizing", e));
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
                    name, ready.size(), e);
            ready.forEach(item -> outputs.deadLetter(item.event(), Rejection.processing("the model step", e)));
            return;
        }
        metrics.batch(ready.size(), (System.nanoTime() - start) / 1_000);
        Instant now = clock.instant();
        for (int i = 0; i < ready.size(); i++) {
            RoundItem item = ready.get(i);
            StreamingClassifier.Prediction prediction = predictions.get(i);
            outputs.classification(item.event(), classification(item.event(), prediction, now));
            item.session().update(item.event().getEndOfSegment() ? classifier.initialState() : prediction.state());
        }
    }

    private Classification classification(PendingEvent event, StreamingClassifier.Prediction prediction,
                                          Instant now) {
        List<String> labels = classifier.labels();
        Map<String, Float> scores = new LinkedHashMap<>();
        for (int c = 0; c < labels.size(); c++) {
            scores.put(labels.get(c), prediction.probabilities()[c]);
        }
        return Classification.newBuilder()
                .setEventId(event.getEventId())
                .setKey(new String(Buffers.bytes(event.getKey()), StandardCharsets.UTF_8))
                .setLabel(labels.get(prediction.label()))
                .setScores(scores)
                .setTokensSeen(prediction.state().tokensSeen())
                .setModelName(name)
                .setModelVersion(classifier.version())
                .setProcessingLatencyMicros(Math.max(0, ChronoUnit.MICROS.between(event.getReceivedAt(), now)))
                .build();
    }
}
