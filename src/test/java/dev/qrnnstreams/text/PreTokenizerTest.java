package dev.qrnnstreams.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PreTokenizerTest {

    @Test
    void shouldSplitWordsAndPunctuationAndMarkWordStarts() {
        assertThat(PreTokenizer.pieces("Hello, world!! It's 42."))
                .containsExactly("\u2581Hello", ",", "\u2581world", "!!", "\u2581It", "'", "s", "\u2581" + "42", ".");
    }

    @Test
    void shouldKeepCombiningMarksAndEmojiSequencesInTheirRun() {
        String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67";
        assertThat(PreTokenizer.pieces("x\u0301y " + family + "!"))
                .containsExactly("\u2581x\u0301y", "\u2581" + family + "!");
    }

    @Test
    void shouldCutLongRunsWithoutAddingMarkers() {
        String word = "a".repeat(250);
        List<String> pieces = PreTokenizer.pieces(word);
        assertThat(pieces).containsExactly("\u2581" + "a".repeat(100), "a".repeat(100), "a".repeat(50));
    }

    @Test
    void shouldGiveNoPiecesForEmptyText() {
        assertThat(PreTokenizer.pieces("")).isEmpty();
    }
}
