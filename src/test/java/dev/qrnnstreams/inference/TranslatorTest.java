package dev.qrnnstreams.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.qrnnstreams.nn.translate.QrnnTranslator;
import dev.qrnnstreams.nn.translate.TranslatorSpec;
import dev.qrnnstreams.text.BpeTokenizer;
import dev.qrnnstreams.text.BpeTrainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The translator front end: message-by-message segments against whole sentences, batching, empty input. */
class TranslatorTest {
    private static final List<String> GERMAN = List.of("Ein Mann fährt Fahrrad.", "Zwei Hunde spielen im Schnee.",
            "Eine Frau liest ein Buch im Park.", "Kinder spielen Fußball auf der Straße.");
    private static final List<String> ENGLISH = List.of("A man rides a bike.", "Two dogs play in the snow.",
            "A woman reads a book in the park.", "Children play soccer in the street.");

    private static Translator translator(DecodingSettings settings) {
        BpeTokenizer source = BpeTrainer.builder().vocabularySize(330).build().train(GERMAN);
        BpeTokenizer target = BpeTrainer.builder().vocabularySize(320).build().train(ENGLISH);
        TranslatorSpec spec = new TranslatorSpec(source.vocabulary().size(), target.vocabulary().size(), 8, 8, 2, 2,
                0.0, 0.0);
        Random random = new Random(9);
        Map<String, float[]> tensors = QrnnTranslator.initial(spec, new SplittableRandom(9)).tensors();
        tensors.replaceAll((name, values) -> {
            float[] moved = values.clone();
            for (int i = 0; i < moved.length; i++) {
                moved[i] += (float) (random.nextGaussian() * 0.5);
            }
            return moved;
        });
        return new Translator(new QrnnTranslator(spec, tensors), source, target, settings);
    }

    @Test
    void shouldTranslateASegmentFedMessageByMessageAsTheWholeSentence() {
        try (Translator translator = translator(DecodingSettings.beam(3, 0.6))) {
            String sentence = GERMAN.get(2);
            int[] tokens = translator.sourceTokens(sentence);
            List<Translator.Segment> segments = List.of(translator.emptySegment());
            Random random = new Random(4);
            int from = 0;
            while (from < tokens.length) {
                int to = Math.min(tokens.length, from + random.nextInt(4));
                int[] message = Arrays.copyOfRange(tokens, from, to);
                segments = translator.advance(segments, List.of(message));
                from = to;
            }
            Translator.Segment whole = translator.advance(List.of(translator.emptySegment()), List.of(tokens)).get(0);
            assertThat(segments.get(0).tokens()).isEqualTo(tokens.length);
            float[] streamed = segments.get(0).outputs();
            for (int i = 0; i < streamed.length; i++) {
                assertThat((double) streamed[i]).isCloseTo(whole.outputs()[i], within(1e-5));
            }
            assertThat(translator.finish(segments)).containsExactly(translator.translate(sentence));
        }
    }

    @Test
    void shouldTranslateABatchAsEachSentenceAlone() {
        try (Translator translator = translator(DecodingSettings.beam(2, 1.0))) {
            List<String> batch = translator.translate(GERMAN);
            List<String> alone = new ArrayList<>();
            for (String sentence : GERMAN) {
                alone.add(translator.translate(sentence));
            }
            assertThat(batch).isEqualTo(alone);
        }
    }

    @Test
    void shouldTranslateEmptyTextToTheEmptyString() {
        try (Translator translator = translator(DecodingSettings.greedy())) {
            assertThat(translator.translate("")).isEmpty();
            assertThat(translator.finish(List.of(translator.emptySegment()))).containsExactly("");
        }
    }
}
