package dev.qrnnstreams.streams;

import dev.qrnnstreams.avro.Translation;
import dev.qrnnstreams.inference.Translator;
import dev.qrnnstreams.nn.QrnnState;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Serves a translator. Each key keeps an open segment: the causal encoder's state and its outputs
 * over the segment's tokens so far, and the segment's source text. A record advances its key's
 * encoder by the message's tokens (all keys of a round in one batched encoder call) and yields a
 * translation of the segment so far: partial ({@code final = false}) until a record with
 * {@code endOfSegment}, whose translation is final and after which the key starts a new segment.
 * Because the encoder is causal and a message boundary is a token boundary, a segment that arrives in
 * pieces is translated exactly as the whole sentence would be.
 *
 * <p>A segment is bounded: the record that takes it past {@code segmentMaxTokens} source tokens or
 * {@code segmentMaxChars} characters of source text ends it as {@code endOfSegment} would, with the final
 * translation of the whole segment, that record included. So the stored segment of a key (text, encoder
 * outputs) stays within the bounds, every record still yields exactly one translation, and no text is
 * dropped.
 */
final class TranslatorRoute implements ModelRoute {
    private static final float[] NO_OUTPUTS = new float[0];
    private final String name;
    private final String version;
    private final Translator translator;
    private final Predicate<QrnnState> fits;
    private final int segmentMaxTokens;
    private final int segmentMaxChars;
    private final ProcessorMetrics metrics;

    TranslatorRoute(String name, String version, Translator translator, Predicate<QrnnState> fits,
                    int segmentMaxTokens, int segmentMaxChars, ProcessorMetrics metrics) {
        this.name = name;
        this.version = version;
        this.translator = translator;
        this.fits = fits;
        this.segmentMaxTokens = segmentMaxTokens;
        this.segmentMaxChars = segmentMaxChars;
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
        List<RoundCall.Prepared<Input>> ready = RoundCall.prepare(round,
                item -> new Input(openSegment(item), translator.sourceTokens(item.event().getText())), outputs);
        if (ready.isEmpty()) {
            return;
        }
        Optional<Step> step = RoundCall.call(name, ready, () -> {
            List<Translator.Segment> advanced = translator.advance(
                    ready.stream().map(prepared -> prepared.input().segment()).toList(),
                    ready.stream().map(prepared -> prepared.input().tokens()).toList());
            return new Step(advanced, translator.finish(advanced));
        }, outputs, metrics);
        if (step.isEmpty()) {
            return;
        }
        for (int i = 0; i < ready.size(); i++) {
            RoundItem item = ready.get(i).item();
            String source = join(item.event().getResetState() ? "" : item.session().segmentText(),
                    item.event().getText());
            Translator.Segment segment = step.get().segments().get(i);
            boolean last = item.event().getEndOfSegment() || segment.tokens() > segmentMaxTokens
                    || source.length() > segmentMaxChars;
            outputs.translation(item.event(),
                    translation(item, source, step.get().translations().get(i), last));
            if (last) {
                item.session().update(initialState(), "", NO_OUTPUTS);
            } else {
                item.session().update(segment.state(), source, segment.outputs());
            }
        }
    }

    /** A record's model input: its key's open segment and its message's source tokens. */
    private record Input(Translator.Segment segment, int[] tokens) {
    }

    /** A round's result: each key's advanced segment and the translation of it. */
    private record Step(List<Translator.Segment> segments, List<String> translations) {
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

    private Translation translation(RoundItem item, String source, String text, boolean last) {
        return Translation.newBuilder()
                .setEventId(item.event().getEventId())
                .setKey(item.key())
                .setSource(source)
                .setTranslation(text)
                .setModelName(name)
                .setModelVersion(version)
                .setFinal$(last)
                .build();
    }
}
