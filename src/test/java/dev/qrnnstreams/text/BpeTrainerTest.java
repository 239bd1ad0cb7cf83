package dev.qrnnstreams.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BpeTrainerTest {
    private static final String M = "\u2581";

    /** Sennrich et al.'s example: low x5, lower x2, newest x6, widest x3. */
    private static final List<String> TINY = List.of(
            "low low low low low", "lower lower", "newest newest newest newest newest newest", "widest widest widest");

    @Test
    void shouldLearnTheHandCheckedMergesOfTheTinyCorpus() {
        // Counts: e+s 9 and s+t 9 tie, "e" < "s" wins; then es+t 9; then the 7s l+o, o+w, marker+l tie and
        // "l" < "o" < U+2581 decides; and so on, down to the 2s: "e" < "▁low" puts e+r before ▁low+er.
        BpeTokenizer tokenizer = BpeTrainer.builder().vocabularySize(400).build().train(TINY);

        assertThat(tokenizer.vocabulary().merges()).containsExactly(
                new Merge("e", "s"), new Merge("es", "t"), new Merge("l", "o"), new Merge("lo", "w"),
                new Merge(M, "low"), new Merge("e", "w"), new Merge("ew", "est"), new Merge("n", "ewest"),
                new Merge(M, "newest"), new Merge("d", "est"), new Merge("i", "dest"), new Merge("w", "idest"),
                new Merge(M, "widest"), new Merge("e", "r"), new Merge(M + "low", "er"));
        assertThat(tokenizer.tokenize("lower newest lowest")).containsExactly(M + "lower", M + "newest", M + "low", "est");
    }

    @Test
    void shouldGiveTheAlphabetIdsInCodePointOrderAfterTheReservedTokens() {
        Vocabulary vocabulary = BpeTrainer.builder().vocabularySize(400).build().train(TINY).vocabulary();

        assertThat(vocabulary.tokens().subList(0, 5)).containsExactly("<pad>", "<unk>", "<s>", "</s>", "<0x00>");
        assertThat(vocabulary.tokens().subList(Vocabulary.FIRST_PIECE_ID, Vocabulary.FIRST_PIECE_ID + 11))
                .containsExactly("d", "e", "i", "l", "n", "o", "r", "s", "t", "w", M);
        assertThat(vocabulary.kind(Vocabulary.FIRST_PIECE_ID)).isEqualTo(TokenKind.CHARACTER);
        assertThat(vocabulary.kind(vocabulary.size() - 1)).isEqualTo(TokenKind.MERGED);
    }

    @Test
    void shouldLearnTheSameVocabularyTwiceAndInAnyInputOrder() {
        BpeTrainer trainer = BpeTrainer.builder().vocabularySize(500).build();
        List<String> shuffled = new ArrayList<>(TestCorpus.REVIEWS);
        Collections.shuffle(shuffled, new Random(7));

        Vocabulary first = trainer.train(TestCorpus.REVIEWS).vocabulary();

        assertThat(trainer.train(TestCorpus.REVIEWS).vocabulary()).isEqualTo(first);
        assertThat(trainer.train(shuffled).vocabulary()).isEqualTo(first);
        assertThat(first.merges()).isNotEmpty();
    }

    @Test
    void shouldStopAtTheVocabularySize() {
        int size = Vocabulary.FIRST_PIECE_ID + 11 + 3;

        Vocabulary vocabulary = BpeTrainer.builder().vocabularySize(size).build().train(TINY).vocabulary();

        assertThat(vocabulary.size()).isEqualTo(size);
        assertThat(vocabulary.merges()).containsExactly(new Merge("e", "s"), new Merge("es", "t"), new Merge("l", "o"));
    }

    @Test
    void shouldStopWhenNoPairReachesTheMinimumFrequency() {
        Vocabulary vocabulary = BpeTrainer.builder().vocabularySize(400).minPairFrequency(7).build()
                .train(TINY).vocabulary();

        assertThat(vocabulary.merges()).hasSize(5).endsWith(new Merge(M, "low"));
    }

    @Test
    void shouldKeepRareCharactersOutOfTheAlphabet() {
        BpeTokenizer tokenizer = BpeTrainer.builder().vocabularySize(400).minCharacterFrequency(2).build()
                .train(List.of("aaa aa b"));

        assertThat(tokenizer.vocabulary().pieceId("b")).isEmpty();
        assertThat(tokenizer.tokenize("b")).containsExactly(M, "<0x62>");
        assertThat(tokenizer.decode(tokenizer.encode("ab"))).isEqualTo("ab");
    }

    @Test
    void shouldKeepTheMostFrequentCharactersWhenTheAlphabetDoesNotFit() {
        Vocabulary vocabulary = BpeTrainer.builder().vocabularySize(Vocabulary.FIRST_PIECE_ID + 3).build()
                .train(List.of("cc bbb aaaa d")).vocabulary();

        assertThat(vocabulary.tokens().subList(Vocabulary.FIRST_PIECE_ID, vocabulary.size()))
                .containsExactly("a", "b", M);
    }

    @Test
    void shouldTrainNothingButTheMarkerOnAnEmptyCorpus() {
        BpeTokenizer tokenizer = BpeTrainer.builder().build().train(List.of("", " <br /> "));

        assertThat(tokenizer.vocabulary().size()).isEqualTo(Vocabulary.FIRST_PIECE_ID + 1);
        assertThat(tokenizer.decode(tokenizer.encode("still works"))).isEqualTo("still works");
    }

    @Test
    void shouldRejectInvalidSettingsInBuild() {
        assertThatThrownBy(() -> BpeTrainer.builder().vocabularySize(Vocabulary.FIRST_PIECE_ID).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vocabularySize");
        assertThatThrownBy(() -> BpeTrainer.builder().minPairFrequency(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minPairFrequency");
        assertThatThrownBy(() -> BpeTrainer.builder().minCharacterFrequency(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minCharacterFrequency");
        assertThatThrownBy(() -> BpeTrainer.builder().normalizer(null).build())
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void shouldStoreItsNormalizerInTheTokenizer() {
        TextNormalizer lower = TextNormalizer.standard().withLowercase(true);

        BpeTokenizer tokenizer = BpeTrainer.builder().normalizer(lower).build().train(TINY);

        assertThat(tokenizer.normalizer()).isEqualTo(lower);
        assertThat(tokenizer.decode(tokenizer.encode("LOWER Newest"))).isEqualTo("lower newest");
    }
}
