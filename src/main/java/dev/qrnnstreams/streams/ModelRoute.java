package dev.qrnnstreams.streams;

import dev.qrnnstreams.nn.QrnnState;
import java.util.List;

/**
 * How a batched step serves one kind of model: the state a key starts from, and one round of
 * records (at most one per key, all for this model) stepped together, each yielding exactly one output
 * or one dead letter through {@link Outputs}.
 *
 * <p>One instance per task, confined to its stream thread.
 */
interface ModelRoute {

    /** The version of the served model, stored with each key's state. */
    String version();

    /** The state of a key that has seen nothing. */
    QrnnState initialState();

    /** Whether a stored state has this model's shapes. */
    boolean fits(QrnnState state);

    /** Steps {@code round}, updating each item's session and sending each record's result. */
    void step(List<RoundItem> round, Outputs outputs);
}
