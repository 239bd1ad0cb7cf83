package dev.qrnnstreams.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

class BpeTokenizerTest {
    private static final String M = "\u2581";
    private static final BpeTokenizer TOKENIZER = TestCorpus.TOKENIZER;
    private static final TextNormalizer LOWER = TextNormalizer.standard().withLowercase(true);
    private static final BpeTokenizer LOWER_CASING = BpeTrainer.builder().vocabularySize(400).normalizer(LOWER)
            .build().train(TestCorpus.REVIEWS.subList(0, 4));
    private static final String UNSEEN = "\u65E5\u672C\u8A9E \uD83D\uDE00 \u0416\u0436 \uD83D\uDC4D\uD83C\uDFFD";

    @Property(tries = 300)
    void shouldDecodeToTheNormalisedText(@ForAll("texts") String text) {
        assertThat(TOKENIZER.decode(TOKENIZER.encode(text))).isEqualTo(TOKENIZER.normalize(text));
    }

    @Property(tries = 100)
    void shouldDecodeToTheNormalisedTextWhenLowerCasing(@ForAll("texts") String text) {
        assertThat(LOWER_CASING.decode(LOWER_CASING.encode(text))).isEqualTo(LOWER.normalize(text));
    }

    @Property(tries = 300)
    void shouldTokeniseMessagesEndingInWhitespaceLikeTheirConcatenation(
            @ForAll("plainTexts") String first, @ForAll("whitespace") String gap, @ForAll("plainTexts") String second) {
        int[] separately = concat(TOKENIZER.encode(first + gap), TOKENIZER.encode(second));

        assertThat(separately).containsExactly(TOKENIZER.encode(first + gap + second));
    }

    @Property(tries = 300)
    void shouldJoinSeparatelyTokenisedMessagesWithOneSpace(@ForAll("texts") String first, @ForAll("texts") String second) {
        String a = TOKENIZER.normalize(first);
        String b = TOKENIZER.normalize(second);
        String expected = a.isEmpty() ? b : b.isEmpty() ? a : a + " " + b;

        assertThat(TOKENIZER.decode(concat(TOKENIZER.encode(first), TOKENIZER.encode(second)))).isEqualTo(expected);
    }

    @Property(tries = 200)
    void shouldDecodeAnyValidIdsWithoutFailing(@ForAll("ids") int[] ids) {
        String text = TOKENIZER.decode(ids);

        assertThat(text.codePoints()).noneMatch(cp -> cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE);
    }

    @Test
    void shouldEncodeUnseenCharactersAsBytes() {
        int[] ids = TOKENIZER.encode(UNSEEN);

        assertThat(TOKENIZER.tokenize("\u65E5")).containsExactly(M, "<0xE6>", "<0x97>", "<0xA5>");
        assertThat(Arrays.stream(ids)).allMatch(id -> id >= Vocabulary.FIRST_BYTE_ID && id < TOKENIZER.vocabulary().size());
        assertThat(TOKENIZER.decode(ids)).isEqualTo(UNSEEN);
    }

    @Test
    void shouldEncodeKnownWordsAsSingleTokens() {
        assertThat(TOKENIZER.tokenize("the movie was great!"))
                .containsExactly(M + "the", M + "movie", M + "was", M + "great", "!");
        assertThat(TOKENIZER.encode(" <br /> ")).isEmpty();
    }

    @Test
    void shouldSkipPaddingAndSequenceMarkersAndShowUnknownAsReplacement() {
        int[] body = TOKENIZER.encode("the story");
        int[] framed = concat(new int[] {SpecialToken.BOS.id()}, body,
                new int[] {SpecialToken.UNK.id(), SpecialToken.EOS.id(), SpecialToken.PAD.id()});

        assertThat(TOKENIZER.decode(framed)).isEqualTo("the story\uFFFD");
        assertThat(TOKENIZER.vocabulary().token(SpecialToken.EOS.id())).isEqualTo("</s>");
        assertThat(TOKENIZER.vocabulary().kind(SpecialToken.PAD.id())).isEqualTo(TokenKind.SPECIAL);
    }

    @Test
    void shouldDecodeInvalidByteSequencesAsReplacement() {
        int[] ids = {TOKENIZER.vocabulary().pieceId(M).orElseThrow(), Vocabulary.FIRST_BYTE_ID + 0xFF,
            Vocabulary.FIRST_BYTE_ID + 'a'};

        assertThat(TOKENIZER.decode(ids)).isEqualTo("\uFFFDa");
    }

    @Test
    void shouldRejectIdsOutsideTheVocabulary() {
        assertThatThrownBy(() -> TOKENIZER.decode(new int[] {TOKENIZER.vocabulary().size()}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside vocabulary");
        assertThatThrownBy(() -> TOKENIZER.decode(new int[] {-1})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldGiveTheSameIdsFromManyThreadsWithATinyCache() throws Exception {
        BpeTokenizer shared = TOKENIZER.withCacheCapacity(8);
        List<String> texts = new ArrayList<>(TestCorpus.REVIEWS);
        texts.add(UNSEEN);
        List<int[]> expected = texts.stream().map(TOKENIZER.withCacheCapacity(0)::encode).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> IntStream.range(0, 200).allMatch(
                        i -> Arrays.equals(shared.encode(texts.get(i % texts.size())),
                                expected.get(i % texts.size())))));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> fragment = Arbitraries.frequencyOf(
                Tuple.of(4, words()),
                Tuple.of(3, Arbitraries.of(" ", "  ", "\t", "\n", ".", ",", "!", "'", "?!", "<br />",
                        "&amp;", "&#233;", "&bogus;", "\uFB01", "\uFF21", "\u3000", "\uD83D\uDE00", "\uD83D\uDC4D\uD83C\uDFFD",
                        "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67", "\u00E9", "e\u0301", "\u65E5\u672C\u8A9E",
                        "\u03A9\u03BC\u03AD\u03B3\u03B1", "\u2581", "\u00A0", "\uD800", "\u00DF", "\u0130", "<0x41>",
                        "<pad>", "\u00AD", "\u200B", "\uFEFF")),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(4)),
                Tuple.of(1, Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
                        .map(Character::toString)));
        return fragment.list().ofMaxSize(25).map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<String> plainTexts() {
        Arbitrary<String> fragment = Arbitraries.oneOf(words(), Arbitraries.of(" ", ".", ", ", "!", "'",
                "<br />", "&amp;", "\uFB01", "\uD83D\uDE00", "\u65E5\u672C", "\u2581", "\t"));
        return fragment.list().ofMaxSize(12).map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<String> whitespace() {
        return Arbitraries.of(" ", "\n", "\t ", "\u00A0", "\u3000", "\u2581");
    }

    @Provide
    Arbitrary<int[]> ids() {
        return Arbitraries.integers().between(0, TOKENIZER.vocabulary().size() - 1).array(int[].class).ofMaxSize(20);
    }

    private static Arbitrary<String> words() {
        return Arbitraries.oneOf(Arbitraries.of("the", "movie", "was", "great", "story", "The", "watching", "Loved"),
                Arbitraries.strings().withCharRange('a', 'z').withChars('A', 'Q').ofMinLength(1).ofMaxLength(9));
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }
}
