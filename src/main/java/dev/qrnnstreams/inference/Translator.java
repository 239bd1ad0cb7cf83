package dev.qrnnstreams.inference;

import dev.qrnnstreams.nn.cpu.CpuBackend;
import dev.qrnnstreams.nn.QrnnBackend;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.nn.translate.QrnnTranslator;
import dev.qrnnstreams.nn.StepResult;
import dev.qrnnstreams.nn.translate.TranslatorMemory;
import dev.qrnnstreams.text.BpeTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The translator front end: source text to tokens, the causal QRNN encoder, greedy or beam search
 * over the decoder ({@link DecodingSettings}), and the target tokens back to text.
 *
 * <p>Two ways in. {@link #translate(List)} translates whole sentences, batched: the encoder runs all
 * sentences in one backend call and the search decodes all their hypotheses as one batch. A stream
 * instead keeps a {@link Segment} per key: {@link #advance(List, List)} runs each key's encoder over one
 * message's tokens, carrying the encoder state, and appends the outputs to the segment; at the end of
 * the segment {@link #finish(List)} decodes from the accumulated outputs. Because a message boundary is
 * a token boundary and the encoder is causal, a segment fed message by message decodes exactly as its
 * concatenated text would. The model was trained on single sentences from the zero state, so a new
 * segment should start from {@link #emptySegment()}.
 *
 * <p>Closing releases the encoder backend's helper threads. Calls from several threads at once are safe
 * only if the backend is; use one translator per thread.
 */
public final class Translator implements AutoCloseable {
    private final QrnnTranslator model;
    private final BpeTokenizer sourceTokenizer;
    private final BpeTokenizer targetTokenizer;
    private final DecodingSettings settings;
    private final QrnnBackend backend;

    /** A translator on the vectorised CPU backend. */
    public Translator(QrnnTranslator model, BpeTokenizer sourceTokenizer, BpeTokenizer targetTokenizer,
                      DecodingSettings settings) {
        this(model, sourceTokenizer, targetTokenizer, settings, CpuBackend.vectorised());
    }

    /** A translator whose encoder runs on {@code backend}, which it closes when closed. */
    public Translator(QrnnTranslator model, BpeTokenizer sourceTokenizer, BpeTokenizer targetTokenizer,
                      DecodingSettings settings, QrnnBackend backend) {
        this.model = Objects.requireNonNull(model, "model");
        this.sourceTokenizer = Objects.requireNonNull(sourceTokenizer, "sourceTokenizer");
        this.targetTokenizer = Objects.requireNonNull(targetTokenizer, "targetTokenizer");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.backend = Objects.requireNonNull(backend, "backend");
        if (sourceTokenizer.vocabulary().size() != model.spec().sourceVocabularySize()
                || targetTokenizer.vocabulary().size() != model.spec().targetVocabularySize()) {
            throw new IllegalArgumentException("the tokenizers' vocabularies do not match the model's");
        }
    }

    /** The same model and tokenizers searching with other settings (sharing this translator's backend). */
    public Translator withSettings(DecodingSettings newSettings) {
        return new Translator(model, sourceTokenizer, targetTokenizer, newSettings, backend);
    }

    /** The search settings. */
    public DecodingSettings settings() {
        return settings;
    }

    /**
     * The encoder's progress through one segment of a key's stream: its state after the last token and
     * its outputs for the segment's tokens so far.
     *
     * @param state the encoder state to carry to the next message
     * @param outputs {@code tokens x hiddenSize} encoder outputs of the segment, row-major
     * @param tokens source tokens in the segment
     */
    public record Segment(QrnnState state, float[] outputs, int tokens) {
        /** Validates the shapes. */
        public Segment {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(outputs, "outputs");
            if (tokens < 0 || (tokens == 0 ? outputs.length != 0 : outputs.length % tokens != 0)) {
                throw new IllegalArgumentException(outputs.length + " outputs for " + tokens + " tokens");
            }
        }
    }

    /** A segment before its first message: the zero encoder state. */
    public Segment emptySegment() {
        return new Segment(QrnnState.initial(model.encoder()), new float[0], 0);
    }

    /** The source token ids of {@code text}. */
    public int[] sourceTokens(String text) {
        return sourceTokenizer.encode(text);
    }

    /**
     * Advances each segment by the tokens of one message, in one batched encoder call.
     *
     * @param segments one per key
     * @param messageTokens the message's source tokens, one array per segment (may be empty)
     */
    public List<Segment> advance(List<Segment> segments, List<int[]> messageTokens) {
        if (segments.size() != messageTokens.size()) {
            throw new IllegalArgumentException(segments.size() + " segments but " + messageTokens.size() + " messages");
        }
        List<QrnnState> states = new ArrayList<>(segments.size());
        List<float[]> chunks = new ArrayList<>(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            states.add(segments.get(i).state());
            chunks.add(model.sourceEmbedding().lookup(messageTokens.get(i)));
        }
        List<StepResult> results = backend.step(model.encoder(), states, chunks);
        List<Segment> advanced = new ArrayList<>(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            StepResult result = results.get(i);
            float[] outputs = Arrays.copyOf(segment.outputs(), segment.outputs().length + result.outputs().length);
            System.arraycopy(result.outputs(), 0, outputs, segment.outputs().length, result.outputs().length);
            advanced.add(new Segment(result.state(), outputs, segment.tokens() + result.timesteps()));
        }
        return advanced;
    }

    /** Decodes each segment's translation; a segment without tokens translates to the empty string. */
    public List<String> finish(List<Segment> segments) {
        List<TranslatorMemory> memories = new ArrayList<>();
        for (Segment segment : segments) {
            if (segment.tokens() > 0) {
                memories.add(TranslatorMemory.of(segment.state(), segment.outputs()));
            }
        }
        List<int[]> decoded = BeamSearch.search(model, memories, settings);
        List<String> translations = new ArrayList<>(segments.size());
        int next = 0;
        for (Segment segment : segments) {
            translations.add(segment.tokens() > 0 ? targetTokenizer.decode(decoded.get(next++)) : "");
        }
        return translations;
    }

    /** Translates each sentence, in batches of at most 64 sentences. */
    public List<String> translate(List<String> sentences) {
        List<String> translations = new ArrayList<>(sentences.size());
        for (int from = 0; from < sentences.size(); from += 64) {
            List<String> batch = sentences.subList(from, Math.min(from + 64, sentences.size()));
            List<Segment> empty = new ArrayList<>(batch.size());
            List<int[]> tokens = new ArrayList<>(batch.size());
            for (String sentence : batch) {
                empty.add(emptySegment());
                tokens.add(sourceTokens(sentence));
            }
            translations.addAll(finish(advance(empty, tokens)));
        }
        return translations;
    }

    /** Translates one sentence. */
    public String translate(String sentence) {
        return translate(List.of(sentence)).get(0);
    }

    @Override
    public void close() {
        backend.close();
    }
}
