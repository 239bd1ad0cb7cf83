package dev.qrnnstreams.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two steps every route takes for a round, with the same failure policy: preparing each record's
 * model input, where a record that fails gets its own dead letter, then one batched model call, timed
 * into the metrics, where a failure dead-letters every prepared record of the round.
 */
final class RoundCall {
    private static final Logger LOG = LoggerFactory.getLogger(RoundCall.class);

    private RoundCall() {
    }

    /**
     * A record of the round and its prepared input.
     *
     * @param item the record and its key's session
     * @param input what the model call takes for it
     * @param <T> the input type
     */
    record Prepared<T>(RoundItem item, T input) {
    }

    /** Prepares each record with {@code prepare}; a record whose preparation throws gets a dead letter. */
    static <T> List<Prepared<T>> prepare(List<RoundItem> round, Function<RoundItem, T> prepare, Outputs outputs) {
        List<Prepared<T>> ready = new ArrayList<>(round.size());
        for (RoundItem item : round) {
            try {
                ready.add(new Prepared<>(item, prepare.apply(item)));
            } catch (RuntimeException e) {
                outputs.deadLetter(item.event(), Rejection.processing("tokenizing", e));
            }
        }
        return ready;
    }

    /**
     * Runs {@code call} for the prepared records of model {@code model}, recording the batch size and
     * its latency; if it throws, every record gets a dead letter and the result is empty.
     */
    static <R> Optional<R> call(String model, List<? extends Prepared<?>> ready, Supplier<R> call, Outputs outputs,
                                ProcessorMetrics metrics) {
        long start = System.nanoTime();
        R result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            LOG.error("A batched step of model {} over {} records failed; they go to the dead-letter topic",
                    model, ready.size(), e);
            ready.forEach(prepared -> outputs.deadLetter(prepared.item().event(),
                    Rejection.processing("the model step", e)));
            return Optional.empty();
        }
        metrics.batch(ready.size(), (System.nanoTime() - start) / 1_000);
        return Optional.of(result);
    }
}
