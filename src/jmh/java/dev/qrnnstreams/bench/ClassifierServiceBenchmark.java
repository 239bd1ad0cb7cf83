package dev.qrnnstreams.bench;

import dev.qrnnstreams.inference.InputRows;
import dev.qrnnstreams.inference.StreamingClassifier;
import dev.qrnnstreams.nn.QrnnBackend;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.cpu.AdaptiveBackend;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A shipped classifier as the service runs it: 64 keys, each advanced by one message of 8 words per
 * operation (its front end, embedding or projection, then one batched {@link StreamingClassifier#advance}),
 * each key resumed from the state its previous message left. The secondary result {@code tokens} is the
 * model's own tokens per second (BPE tokens or hashed pieces), so models with different tokenisations
 * compare by the text they get through. Messages come from the demo's bundled reviews.
 */
@State(Scope.Thread)
public class ClassifierServiceBenchmark {
    private static final int KEYS = 64;
    private static final int WORDS = 8;

    @Param({"imdb-qrnn", "imdb-pqrnn", "sst2-qrnn", "sst2-pqrnn"})
    public String model;

    private StreamingClassifier classifier;
    private QrnnBackend backend;
    private List<String> messages;
    private List<QrnnState> states;
    private int next;

    /** Tokens advanced, reported per second beside the operations. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Tokens {
        /** Tokens advanced in this iteration. */
        public long tokens;

        /** Starts each iteration's count at zero. */
        @Setup(Level.Iteration)
        public void clear() {
            tokens = 0;
        }
    }

    /** Loads the model from {@code models/} and cuts the demo reviews into 8-word messages, once per trial. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        classifier = StreamingClassifier.load(Path.of("models", model));
        backend = AdaptiveBackend.cpu();
        messages = new ArrayList<>();
        try (InputStream in = StreamingClassifier.class.getResourceAsStream("/demo/reviews.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] words = line.substring(line.indexOf('\t') + 1).trim().split(" +");
                for (int from = 0; from + WORDS <= words.length; from += WORDS) {
                    messages.add(String.join(" ", Arrays.copyOfRange(words, from, from + WORDS)));
                }
            }
        }
        states = new ArrayList<>();
        for (int k = 0; k < KEYS; k++) {
            states.add(classifier.initialState());
        }
    }

    /** One round: every key's next message through the front end and one batched step. */
    @Benchmark
    public List<StreamingClassifier.Prediction> advance(Tokens counter) {
        List<InputRows> rows = new ArrayList<>(KEYS);
        for (int k = 0; k < KEYS; k++) {
            InputRows message = classifier.rows(messages.get(next));
            next = (next + 1) % messages.size();
            counter.tokens += message.tokens();
            rows.add(message);
        }
        List<StreamingClassifier.Prediction> predictions = classifier.advance(backend, states, rows);
        for (int k = 0; k < KEYS; k++) {
            states.set(k, predictions.get(k).state());
        }
        return predictions;
    }

    /** Frees the backend's native buffers. */
    @TearDown(Level.Trial)
    public void tearDown() {
        backend.close();
    }
}
