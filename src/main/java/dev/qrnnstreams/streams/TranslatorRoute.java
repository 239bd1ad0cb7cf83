package dev.qrnnstreams.streams;

import dev.qrnnstreams.avro.Translation;
import dev.qrnnstreams.avro.internal.PendingEvent;
import dev.qrnnstreams.inference.Translator;
import dev.qrnnstreams.nn.QrnnState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a translator. Each key keeps an open segment: the causal encoder's state and its outputs
 * over the segment's tokens so far, and the segment's source text. A record advances its key's
 * encoder by the message's tokens (all keys of a round in one batched encoder call) and yields a
 * translation of the segment so far: partial ({@code final = false}) until a record with
 * {@code endOfSegment}, whose translation is final and after which the key starts a new segment.
 * Because the encoder is causal and a message boundary is a token boundary, a segment that arrives in
 * pieces is translated exactly as the whole sentence would be.
 */
final class TranslatorRoute implements ModelRoute {
    private static final Logger LOG = LoggerFactory.getLogger(TranslatorRoute.class);
    private static final float[] NO_OUTPUTS = new float[0];
    private final String name;
    private final String version;
    private final Translator translator;
    private final Predicate<QrnnState> fits;
    private final ProcessorMetrics metrics;

    TranslatorRoute(String name, String version, Translator translator, Predicate<QrnnState> fits,
                    ProcessorMetrics metrics) {
        this.name = name;
        this.version = version;
        this.translator = translator;
        this.fits = fits;
        this.metrics = metrics;
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public QrnnState initialState() {
        return translator.emptySegment().state();
    }

    @Override
    public boolean fits(QrnnState state) {
        return fits.test(state);
    }

    @Override
    public void step(List<RoundItem> round, Outputs outputs) {
        List<RoundItem> ready = new ArrayList<>(round.size());
        List<Translator.Segment> segments = new ArrayList<>(round.size());
        List<int[]> tokens = new ArrayList<>(round.size());
        for (RoundItem item : round) {
            try {
                tokens.add(translator.sourceTokens(item.event().getText()));
                segments.add(openSegment(item));
                ready.add(item);
            } catch (RuntimeException e) {
                outputs.deadLetter(item.event(), Rejection.processing("tokenizing", e));
            }
        }
        if (ready.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        List<Translator.Segment> advanced;
        List<String> translations;
        try {
            advanced = translator.advance(segments, tokens);
            translations = translator.finish(advanced);
        } catch (RuntimeException e) {
            LOG.error("A batched step of model {} over {} records failed; they go to the dead-letter topic",
                    name, ready.size(), e);
            ready.forEach(item -> outputs.deadLetter(item.event(), Rejection.processing("the model step", e)));
            return;
        }
        metrics.batch(ready.size(), (System.nanoTime() - start) / 1_000);
        for (int i = 0; i < ready.size(); i++) {
            RoundItem item = ready.get(i);
            boolean last = item.event().getEndOfSegment();
            String source = join(item.event().getResetState() ? "" : item.session().segmentText(),
                    item.event().getText());
            outputs.translation(item.event(), translation(item.event(), source, translations.get(i), last));
            Translator.Segment segment = advanced.get(i);
            if (last) {
                item.session().update(initialState(), "", NO_OUTPUTS);
            } else {
                item.session().update(segment.state(), source, segment.outputs());
            }
        }
    }

    private Translator.Segment openSegment(RoundItem item) {
        if (item.event().getResetState()) {
            return translator.emptySegment();
        }
        KeySession session = item.session();
        return new Translator.Segment(session.state(), session.segmentOutputs(),
                Math.toIntExact(session.state().tokensSeen()));
    }

    /** The segment's text so far and the message, with a space between unless either side has one. */
    private static String join(String before, String message) {
        if (before.isEmpty() || message.isEmpty() || Character.isWhitespace(before.charAt(before.length() - 1))
                || Character.isWhitespace(message.charAt(0))) {
            return before + message;
        }
        return before + " " + message;
    }

    private Translation translation(PendingEvent event, String source, String text, boolean last) {
        return Translation.newBuilder()
                .setEventId(event.getEventId())
                .setKey(new String(Buffers.bytes(event.getKey()), StandardCharsets.UTF_8))
                .setSource(source)
                .setTranslation(text)
                .setModelName(name)
                .setModelVersion(version)
                .setFinal$(last)
                .build();
    }
}
