package dev.qrnnstreams.streams;

import dev.qrnnstreams.avro.ErrorKind;
import dev.qrnnstreams.avro.internal.PendingEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;

/**
 * Steps a drained buffer through the models in as few batched calls as per-key order allows: round
 * r takes the r-th buffered record of every key, so each key's records apply in arrival order while
 * all keys of a round share one batched step per model ({@link ModelRoute}). Each record yields
 * exactly one output or one dead letter. Each key's session is loaded from the {@link KeyStateStore}
 * once per step and saved once.
 *
 * <p>Confined to the stream thread of its task.
 */
final class BatchStep {
    private final Map<String, ModelRoute> routes;
    private final KeyStateStore states;
    private final ProcessorMetrics metrics;
    private final Outputs outputs;

    BatchStep(Map<String, ModelRoute> routes, KeyStateStore states, ProcessorMetrics metrics, Outputs outputs) {
        this.routes = Map.copyOf(routes);
        this.states = states;
        this.metrics = metrics;
        this.outputs = outputs;
    }

    void run(List<PendingEvent> events) {
        Map<Bytes, ArrayDeque<PendingEvent>> queues = new LinkedHashMap<>();
        for (PendingEvent event : events) {
            queues.computeIfAbsent(KeyStateStore.storeKey(event.getModel(), Buffers.bytes(event.getKey())),
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
                KeySession session = sessions.computeIfAbsent(key.getKey(),
                        storeKey -> states.load(storeKey, event.getModel(), route));
                round.computeIfAbsent(event.getModel(), model -> new ArrayList<>()).add(new RoundItem(event, session));
            }
            round.forEach((model, items) -> routes.get(model).step(items, outputs));
        }
        sessions.values().forEach(states::save);
        metrics.keysWithState(states.approximateCount());
    }
}
