package dev.qrnnstreams.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Corpus BLEU against values derived by hand from sacreBLEU's default definition (13a tokens, clipped
 * counts summed over the corpus, "exp" smoothing of orders without matches, the loop ending at an order
 * with no n-grams, brevity penalty on summed lengths).
 */
class CorpusBleuTest {

    @Test
    void shouldScoreAnExactMatchAs100() {
        assertThat(CorpusBleu.score(List.of("A man rides a bike."), List.of("A man rides a bike.")).score())
                .isCloseTo(100.0, within(1e-9));
    }

    @Test
    void shouldSmoothOrdersWithoutMatchesByDoublingDenominators() {
        // hyp: the cat the cat / ref: the cat sat
        // p1 = 2/4, p2 = 1/3, p3: 0 of 2 -> 100 / (2 * 2), p4: 0 of 1 -> 100 / (4 * 1), BP = 1
        double expected = Math.pow(50.0 * (100.0 / 3) * 25.0 * 25.0, 0.25);
        CorpusBleu.Result result = CorpusBleu.score(List.of("the cat the cat"), List.of("the cat sat"));
        assertThat(result.score()).isCloseTo(expected, within(1e-9));
        assertThat(expected).isCloseTo(31.947, within(1e-3));
        assertThat(result.correct()).containsExactly(2, 1, 0, 0);
        assertThat(result.total()).containsExactly(4, 3, 2, 1);
    }

    @Test
    void shouldScoreZeroWhenHypothesesHaveNoNgramsOfSomeOrder() {
        assertThat(CorpusBleu.score(List.of("a b"), List.of("a b c d")).score()).isZero();
        assertThat(CorpusBleu.score(List.of("x y z w"), List.of("a b c d")).score()).isZero();
    }

    @Test
    void shouldSumStatisticsOverTheCorpusBeforeTheBrevityPenalty() {
        // every n-gram matches; c = 6, r = 10: BP = exp(1 - 10/6)
        CorpusBleu.Result result = CorpusBleu.score(List.of("a b c d", "e f"), List.of("a b c d", "e f g h i j"));
        assertThat(result.total()).containsExactly(6, 4, 2, 1);
        assertThat(result.brevityPenalty()).isCloseTo(Math.exp(1 - 10.0 / 6), within(1e-12));
        assertThat(result.score()).isCloseTo(100 * Math.exp(1 - 10.0 / 6), within(1e-9));
    }

    @Test
    void shouldTokenizeLikeMteval13a() {
        assertThat(CorpusBleu.tokenize13a("Hello, world.")).containsExactly("Hello", ",", "world", ".");
        assertThat(CorpusBleu.tokenize13a("3.5 and 1,000 dogs")).containsExactly("3.5", "and", "1,000", "dogs");
        assertThat(CorpusBleu.tokenize13a("an x-ray of a 5-year-old")).containsExactly("an", "x-ray", "of", "a", "5",
                "-", "year-old");
        assertThat(CorpusBleu.tokenize13a("&quot;hi&quot; (don't) a&amp;b  "))
                .containsExactly("\"", "hi", "\"", "(", "don't", ")", "a", "&", "b");
        assertThat(CorpusBleu.tokenize13a("end.\u00a0Next")).containsExactly("end", ".", "Next");
    }

    @Test
    void shouldBeCaseSensitive() {
        assertThat(CorpusBleu.score(List.of("The dog runs fast"), List.of("the dog runs fast")).score())
                .isLessThan(100.0);
    }
}
