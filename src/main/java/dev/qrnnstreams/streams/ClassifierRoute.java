package dev.qrnnstreams.streams;

import dev.qrnnstreams.avro.Classification;
import dev.qrnnstreams.avro.internal.PendingEvent;
import dev.qrnnstreams.inference.InputRows;
import dev.qrnnstreams.inference.StreamingClassifier;
import dev.qrnnstreams.nn.QrnnBackend;
import dev.qrnnstreams.nn.QrnnState;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Serves a classifier: each record advances its key by the message's tokens, all keys of a round in
 * one batched step, and yields the classification of the key's text so far. After a record with
 * {@code endOfSegment} the key starts afresh.
 */
final class ClassifierRoute implements ModelRoute {
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
        List<RoundCall.Prepared<Input>> ready = RoundCall.prepare(round, item -> new Input(
                item.event().getResetState() ? classifier.initialState() : item.session().state(),
                classifier.rows(item.event().getText())), outputs);
        if (ready.isEmpty()) {
            return;
        }
        Optional<List<StreamingClassifier.Prediction>> predictions = RoundCall.call(name, ready,
                () -> classifier.advance(backend, ready.stream().map(prepared -> prepared.input().state()).toList(),
                        ready.stream().map(prepared -> prepared.input().rows()).toList()), outputs, metrics);
        if (predictions.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        for (int i = 0; i < ready.size(); i++) {
            RoundItem item = ready.get(i).item();
            StreamingClassifier.Prediction prediction = predictions.get().get(i);
            outputs.classification(item.event(), classification(item, prediction, now));
            item.session().update(item.event().getEndOfSegment() ? classifier.initialState() : prediction.state());
        }
    }

    /** A record's model input: the state it starts from and its message's input rows. */
    private record Input(QrnnState state, InputRows rows) {
    }

    private Classification classification(RoundItem item, StreamingClassifier.Prediction prediction, Instant now) {
        PendingEvent event = item.event();
        List<String> labels = classifier.labels();
        Map<String, Float> scores = new LinkedHashMap<>();
        for (int c = 0; c < labels.size(); c++) {
            scores.put(labels.get(c), prediction.probabilities()[c]);
        }
        return Classification.newBuilder()
                .setEventId(event.getEventId())
                .setKey(item.key())
                .setLabel(labels.get(prediction.label()))
                .setScores(scores)
                .setTokensSeen(prediction.state().tokensSeen())
                .setModelName(name)
                .setModelVersion(classifier.version())
                .setProcessingLatencyMicros(Math.max(0, ChronoUnit.MICROS.between(event.getReceivedAt(), now)))
                .build();
    }
}
