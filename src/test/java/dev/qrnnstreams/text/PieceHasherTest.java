package dev.qrnnstreams.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PieceHasherTest {
    private final PieceHasher hasher = new PieceHasher(TextNormalizer.standard(), 3, 5);

    @Test
    void shouldHashEachPieceAndEveryFramedNgram() {
        List<long[]> pieces = hasher.hash("Great film!");

        assertThat(pieces).hasSize(3);
        String framed = "<\u2581Great>";
        int grams = 0;
        for (int n = 3; n <= 5; n++) {
            grams += framed.length() - n + 1;
        }
        assertThat(pieces.get(0)).hasSize(1 + grams);
        assertThat(hasher.hash("")).isEmpty();
        assertThat(hasher.hash("   ")).isEmpty();
    }

    @Test
    void shouldGiveTheSameHashesForTheSamePieceAndDifferentOnesForAWordStart() {
        long[] first = hasher.hash("film film").get(0);
        long[] second = hasher.hash("film film").get(1);
        long[] inside = hasher.hash("the-film").get(2);

        assertThat(second).containsExactly(first);
        assertThat(inside[0]).isNotEqualTo(first[0]);
        assertThat(hasher.hash("film").get(0)[0]).isEqualTo(first[0]);
    }

    @Test
    void shouldHashMessagesThatEndAtSpacesLikeTheirConcatenation() {
        String[] messages = {"An <br />absolutely ", "wonderful, moving ", "film."};
        List<long[]> streamed = new ArrayList<>();
        for (String message : messages) {
            streamed.addAll(hasher.hash(message));
        }

        List<long[]> whole = hasher.hash(String.join("", messages));

        assertThat(streamed).hasSameSizeAs(whole);
        for (int i = 0; i < whole.size(); i++) {
            assertThat(streamed.get(i)).containsExactly(whole.get(i));
        }
    }

    @Test
    void shouldRejectAnEmptyNgramRange() {
        assertThatThrownBy(() -> new PieceHasher(TextNormalizer.standard(), 4, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PieceHasher(TextNormalizer.standard(), 0, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
