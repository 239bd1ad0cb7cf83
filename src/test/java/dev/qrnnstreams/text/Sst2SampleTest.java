package dev.qrnnstreams.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Trains on the 872 SST-2 dev sentences from {@code ../shared/data}; skipped when the file is absent. */
class Sst2SampleTest {
    private static final Path DEV = Path.of("..", "shared", "data", "sst2", "dev.tsv");

    @Test
    void shouldTrainAReusableVocabularyOnRealSentences() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(DEV),
                () -> "SST-2 dev file not found at " + DEV.toAbsolutePath().normalize() + "; skipping the real-data test");
        List<String> lines = Files.readAllLines(DEV, StandardCharsets.UTF_8);
        List<String> sentences = lines.subList(1, lines.size()).stream()
                .map(line -> line.substring(0, line.lastIndexOf('\t'))).toList();
        BpeTrainer trainer = BpeTrainer.builder().vocabularySize(2_000).build();
        List<String> reversed = new ArrayList<>(sentences);
        Collections.reverse(reversed);

        BpeTokenizer tokenizer = trainer.train(sentences);

        assertThat(sentences).hasSize(872);
        assertThat(tokenizer.vocabulary().size()).isEqualTo(2_000);
        assertThat(trainer.train(reversed).vocabulary()).isEqualTo(tokenizer.vocabulary());
        long words = 0;
        long tokens = 0;
        for (String sentence : sentences) {
            int[] ids = tokenizer.encode(sentence);
            assertThat(tokenizer.decode(ids)).isEqualTo(tokenizer.normalize(sentence));
            words += tokenizer.normalize(sentence).split(" ").length;
            tokens += ids.length;
        }
        // 4,339 word types share 1,685 merges: measured 1.58 tokens per word; characters alone would be ~5.
        assertThat((double) tokens / words).as("tokens per space-separated word").isBetween(1.0, 1.7);
        assertThat(tokenizer.tokenize("the film is n't funny .")).containsExactly(
                "\u2581the", "\u2581film", "\u2581is", "\u2581n", "'", "t", "\u2581funny", "\u2581.");
    }
}
