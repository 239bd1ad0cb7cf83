package dev.qrnnstreams.inference;

import dev.qrnnstreams.model.ClassifierBundle;
import dev.qrnnstreams.nn.QrnnBackend;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.Readout;
import dev.qrnnstreams.nn.StepResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A trained classifier served over streams: each key's text arrives in messages, each message
 * advances the key's {@link QrnnState} by its own tokens, and the prediction after a message is the
 * softmax head on what the model's {@link Readout} reads from that state (the last layer's final hidden
 * state, or that with its mean and maximum over time), which is the model's prediction for all of the
 * key's text so far.
 *
 * <p>A message boundary is a token boundary: the stack's input rows of a key are the concatenation of
 * each message's {@link #rows rows} (one per token, from the bundle's {@link ClassifierFrontEnd}: an
 * embedding of byte-pair tokens, or a hashed projection), so advancing message by message gives the
 * same state as one pass over that concatenation.
 *
 * <p>Instances are immutable and may be shared across threads; the {@link QrnnBackend} passed to
 * {@link #advance} carries the scratch memory and is confined to its caller's thread.
 */
public final class StreamingClassifier {
    private final ClassifierBundle bundle;
    private final ClassifierFrontEnd frontEnd;

    /** Serves {@code bundle}. */
    public StreamingClassifier(ClassifierBundle bundle) {
        this.bundle = Objects.requireNonNull(bundle, "bundle");
        this.frontEnd = ClassifierFrontEnd.of(bundle.input());
    }

    /** Reads and checks the bundle in {@code directory}. */
    public static StreamingClassifier load(Path directory) throws IOException {
        return new StreamingClassifier(ClassifierBundle.read(directory));
    }

    /** The model's name, as routes and outputs refer to it. */
    public String name() {
        return bundle.manifest().name();
    }

    /** The model's version, recorded in outputs and in each key's state. */
    public String version() {
        return bundle.manifest().version();
    }

    /** The class labels, in the order of {@link Prediction#probabilities}. */
    public List<String> labels() {
        return bundle.manifest().architecture().labels();
    }

    /** The stack's input rows of one message, one per token. */
    public InputRows rows(String text) {
        return frontEnd.rows(text);
    }

    /** The state of a key that has seen no text. */
    public QrnnState initialState() {
        return QrnnState.initial(bundle.stack(), bundle.readout());
    }

    /** Whether {@code state} has the shapes of this model's stack and carries what its readout reads. */
    public boolean fits(QrnnState state) {
        return state.fits(bundle.stack())
                && state.pooled().width() == bundle.readout().initialSummary(bundle.stack().outputSize()).width();
    }

    /**
     * Advances each key by its message's rows in one batched step.
     *
     * @param backend runs the step; confined to the calling thread
     * @param states one state per key, each {@link #fits fitting} this model
     * @param messages one message's {@link #rows rows} per key, in the same order
     * @return one prediction per key, in order
     */
    public List<Prediction> advance(QrnnBackend backend, List<QrnnState> states, List<InputRows> messages) {
        if (states.size() != messages.size()) {
            throw new IllegalArgumentException(states.size() + " states for " + messages.size() + " messages");
        }
        List<float[]> chunks = new ArrayList<>(messages.size());
        for (InputRows rows : messages) {
            chunks.add(rows.values());
        }
        List<StepResult> results = backend.step(bundle.stack(), states, chunks);
        List<Prediction> predictions = new ArrayList<>(results.size());
        Readout readout = bundle.readout();
        for (int i = 0; i < results.size(); i++) {
            StepResult result = results.get(i);
            QrnnState state = readout.carry(states.get(i), result.state(), result.outputs(), result.timesteps());
            predictions.add(new Prediction(state, bundle.head().probabilities(readout.features(state))));
        }
        return predictions;
    }

    /** The prediction for a whole text from a fresh state, as an offline run computes it. */
    public Prediction classify(QrnnBackend backend, String text) {
        return advance(backend, List.of(initialState()), List.of(rows(text))).get(0);
    }

    /**
     * A key's prediction after a message.
     *
     * @param state the key's state after the message
     * @param probabilities one probability per {@link #labels label}
     */
    public record Prediction(QrnnState state, float[] probabilities) {
        /** Validates the fields. */
        public Prediction {
            Objects.requireNonNull(state, "state");
            if (probabilities.length == 0) {
                throw new IllegalArgumentException("a prediction needs at least one class");
            }
        }

        /** The index of the most probable class (the first on ties). */
        public int label() {
            int best = 0;
            for (int c = 1; c < probabilities.length; c++) {
                if (probabilities[c] > probabilities[best]) {
                    best = c;
                }
            }
            return best;
        }
    }
}
