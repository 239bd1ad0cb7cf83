package dev.qrnnstreams.streams;

import dev.qrnnstreams.avro.ErrorKind;
import dev.qrnnstreams.avro.internal.KeyState;
import dev.qrnnstreams.avro.internal.PendingEvent;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.QrnnStateCodec;
import dev.qrnnstreams.nn.StateEncodingException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
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
 * Steps a drained buffer through the models in as few batched calls as per-key order allows: round
 * r takes the r-th buffered record of every key, so each key's records apply in arrival order while
 * all keys of a round share one batched step per model ({@link ModelRoute}). Each record yields
 * exactly one output or one dead letter.
 *
 * <p>Each key's state is loaded once per step and written back once. A key whose stored state was
 * written by another model version, or cannot be read, starts afresh (logged and counted). A state
 * that has seen no tokens equals the initial state and is deleted rather than stored.
 *
 * <p>Confined to the stream thread of its task.
 */
final class BatchStep {
    private static final Logger LOG = LoggerFactory.getLogger(BatchStep.class);
    private final Map<String, ModelRoute> routes;
    private final KeyStates states;
    private final QrnnStateCodec codec;
    private final ProcessorMetrics metrics;
    private final Outputs outputs;
    private final Clock clock;

    BatchStep(Map<String, ModelRoute> routes, KeyStates states, QrnnStateCodec codec, ProcessorMetrics metrics,
              Outputs outputs, Clock clock) {
        this.routes = Map.copyOf(routes);
        this.states = states;
        this.codec = codec;
        this.metrics = metrics;
        this.outputs = outputs;
        this.clock = clock;
    }

    void run(List<PendingEvent> events) {
        Map<Bytes, ArrayDeque<PendingEvent>> queues = new LinkedHashMap<>();
        for (PendingEvent event : events) {
            queues.computeIfAbsent(KeyStates.storeKey(event.getModel(), Buffers.bytes(event.getKey())),
                    key -> new ArrayDeque<>()).add(event);
        }
        Map<Bytes, KeySession> sessions = new LinkedHashMap<>();
        while (!queues.isEmpty()) {
            Map<String, List<RoundItem>> round = new LinkedHashMap<>();
            Iterator<Map.Entry<Bytes, ArrayDeque<PendingEvent>>> keys = queues.entrySet().iterator();
            while (keys.hasNext()) {
                Map.Entry<Bytes, ArrayDeque<PendingEvent>> key = keys.next();
                PendingEvent event = key.getValue().poll();
                if (key.getValue().isEmpty()) {
                    keys.remove();
                }
                ModelRoute route = routes.get(event.getModel());
                if (route == null) {
                    outputs.deadLetter(event, new Rejection(ErrorKind.UNKNOWN_MODEL,
                            "no model named '" + event.getModel() + "' is served any more; serving " + routes.keySet()));
                    continue;
                }
                KeySession session = sessions.computeIfAbsent(key.getKey(), k -> load(k, event.getModel(), route));
                round.computeIfAbsent(event.getModel(), model -> new ArrayList<>()).add(new RoundItem(event, session));
            }
            round.forEach((model, items) -> routes.get(model).step(items, outputs));
        }
        Instant now = clock.instant();
        sessions.values().forEach(session -> save(session, now));
        metrics.keysWithState(states.approximateCount());
    }

    private KeySession load(Bytes storeKey, String model, ModelRoute route) {
        return states.get(storeKey).flatMap(stored -> restore(storeKey, stored, route))
                .orElseGet(() -> new KeySession(storeKey, model, route.initialState()));
    }

    private Optional<KeySession> restore(Bytes storeKey, KeyState stored, ModelRoute route) {
        if (!stored.getModelVersion().equals(route.version())) {
            LOG.info("A key's state was written by model {} version {}; version {} now serves it, so the key "
                    + "starts afresh", stored.getModelName(), stored.getModelVersion(), route.version());
            metrics.stateReset();
            return Optional.empty();
        }
        try {
            QrnnState state = QrnnStateCodec.decode(Buffers.bytes(stored.getQrnnState()));
            if (route.fits(state)) {
                return Optional.of(KeySession.restored(storeKey, stored, state));
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
        states.put(session.storeKey(), KeyState.newBuilder()
                .setModelName(session.model())
                .setModelVersion(routes.get(session.model()).version())
                .setUpdatedAt(now)
                .setQrnnState(ByteBuffer.wrap(codec.encode(session.state())))
                .setSegmentText(session.segmentText())
                .setSegmentOutputs(ByteBuffer.wrap(session.segmentOutputBytes()))
                .build());
    }
}
