package dev.qrnnstreams.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerFormatTest {
    private static final BpeTokenizer LOWER_CASING = BpeTrainer.builder().vocabularySize(500)
            .normalizer(TextNormalizer.standard().withLowercase(true)).build().train(TestCorpus.REVIEWS);

    @Test
    void shouldReadBackWhatItWrote(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("vocabulary.tsv");

        TokenizerFormat.write(LOWER_CASING, file);
        BpeTokenizer read = TokenizerFormat.read(file);

        assertThat(read.vocabulary()).isEqualTo(LOWER_CASING.vocabulary());
        assertThat(read.normalizer()).isEqualTo(LOWER_CASING.normalizer());
        String text = "The ACTING was superb &amp; \uD83D\uDE00 unseen \u65E5!";
        assertThat(read.encode(text)).containsExactly(LOWER_CASING.encode(text));
    }

    @Test
    void shouldWriteOneEntryPerLineAfterTheVersionLine() throws IOException {
        String text = write(LOWER_CASING);
        String[] lines = text.split("\n", -1);
        Vocabulary vocabulary = LOWER_CASING.vocabulary();

        assertThat(lines[0]).isEqualTo("qrnn-streams-bpe\t1");
        assertThat(lines[1]).isEqualTo("normalizer\tstrip-markup\ttrue");
        assertThat(lines[3]).isEqualTo("normalizer\tlowercase\ttrue");
        assertThat(lines[4]).isEqualTo("token\tspecial\t<pad>");
        assertThat(lines[8]).isEqualTo("token\tbyte\t<0x00>");
        assertThat(lines[4 + Vocabulary.FIRST_PIECE_ID]).startsWith("token\tchar\t");
        Merge first = vocabulary.merges().get(0);
        assertThat(lines[4 + vocabulary.size()]).isEqualTo("merge\t" + first.left() + "\t" + first.right());
        assertThat(lines).hasSize(4 + vocabulary.size() + vocabulary.merges().size() + 1);
        assertThat(lines[lines.length - 1]).isEmpty();
    }

    @Test
    void shouldRejectAnUnknownVersionClearly() throws IOException {
        String future = write(LOWER_CASING).replaceFirst("qrnn-streams-bpe\t1", "qrnn-streams-bpe\t2");

        assertThatThrownBy(() -> read(future)).isInstanceOf(VocabularyFormatException.class)
                .hasMessage("line 1: unsupported qrnn-streams-bpe format version 2; this build reads version 1");
    }

    @Test
    void shouldRejectFilesOfAnotherFormat() {
        assertThatThrownBy(() -> read("#version: 0.2\nt h\n")).isInstanceOf(VocabularyFormatException.class)
                .hasMessageContaining("not a qrnn-streams-bpe vocabulary");
        assertThatThrownBy(() -> read("")).isInstanceOf(VocabularyFormatException.class)
                .hasMessageContaining("empty file");
        assertThatThrownBy(() -> read("qrnn-streams-bpe\tone\n")).isInstanceOf(VocabularyFormatException.class)
                .hasMessageContaining("not a number");
    }

    @Test
    void shouldRejectMalformedEntriesWithTheirLineNumber() throws IOException {
        String good = write(LOWER_CASING);
        Merge first = LOWER_CASING.vocabulary().merges().get(0);
        String firstMerge = "merge\t" + first.left() + "\t" + first.right();

        assertThatThrownBy(() -> read(good.replace("normalizer\tlowercase\ttrue\n", "")))
                .isInstanceOf(VocabularyFormatException.class).hasMessageContaining("normalizer settings");
        assertThatThrownBy(() -> read(good.replace("token\tspecial\t<unk>", "token\tspecial\t<oov>")))
                .isInstanceOf(VocabularyFormatException.class).hasMessageContaining("line 6: token 1 must be");
        assertThatThrownBy(() -> read(good.replace(firstMerge, "merge\t" + first.left() + "\tnot-a-token")))
                .isInstanceOf(VocabularyFormatException.class).hasMessageContaining("not-a-token");
        assertThatThrownBy(() -> read(good.replace(firstMerge + "\n", "")))
                .isInstanceOf(VocabularyFormatException.class).hasMessageContaining("produced by no merge");
        assertThatThrownBy(() -> read(good + "garbage\n"))
                .isInstanceOf(VocabularyFormatException.class).hasMessageContaining("expected 'merge");
        assertThatThrownBy(() -> read(good.replace("token\tchar\t", "token\tmerged\t")))
                .isInstanceOf(VocabularyFormatException.class).hasMessageContaining("must be 'char'");
    }

    private static String write(BpeTokenizer tokenizer) throws IOException {
        StringWriter writer = new StringWriter();
        TokenizerFormat.write(tokenizer, writer);
        return writer.toString();
    }

    private static BpeTokenizer read(String text) throws IOException {
        return TokenizerFormat.read(new StringReader(text));
    }
}
