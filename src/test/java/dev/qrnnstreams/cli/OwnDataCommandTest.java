package dev.qrnnstreams.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's own data end to end through the command line: a small generated 3-class CSV (quoted fields
 * with commas and newlines, a header with an extra column) trains a tiny model whose manifest names the
 * data's classes; {@code eval --split dev} rebuilds the stratified dev set and reports macro-F1, per-class
 * precision and recall and the confusion matrix, as text, PNG and a predictions file; bad data fails with
 * its file and line.
 */
class OwnDataCommandTest {
    private static final List<String> CLASSES = List.of("sport", "weather", "money");
    private static final List<String> WORDS = List.of("goal", "rain", "bank");

    @TempDir
    Path directory;

    @Test
    void shouldTrainAThreeClassModelOnACsvAndEvaluateItsDevSplit() throws IOException {
        Path csv = directory.resolve("news.csv");
        StringBuilder rows = new StringBuilder("id,headline,topic\n");
        for (int i = 0; i < 150; i++) {
            int c = i % 3;
            rows.append(i).append(",\"A ").append(WORDS.get(c)).append(", today,\nsaid ").append(i % 7)
                    .append("\",").append(CLASSES.get(c)).append('\n');
        }
        Files.writeString(csv, rows, StandardCharsets.UTF_8);
        Path model = directory.resolve("model");

        CommandRun trained = CommandRun.of("train", "classifier", "--train", csv.toString(), "--text-column",
                "headline", "--label-column", "topic", "--dev-fraction", "0.2", "--class-weights", "balanced",
                "--vocab-size", "300", "--emb", "8", "--hidden", "8", "--epochs", "3", "--batch", "10", "--prefixes", "1",
                "-o", model.toString(), "--checkpoint-dir", directory.resolve("checkpoints").toString());

        assertThat(trained.code()).as(trained.err()).isEqualTo(Main.OK);
        assertThat(trained.out()).contains("own: 120 training texts, 30 dev texts")
                .contains("classes (dev): money 10, sport 10, weather 10").contains("dev macro-F1");
        assertThat(ImageIO.read(model.resolve("confusion-matrix.png").toFile())).isNotNull();
        JsonNode manifest = new ObjectMapper().readTree(model.resolve("manifest.json").toFile());
        assertThat(manifest.at("/architecture/labels").toString()).isEqualTo("[\"money\",\"sport\",\"weather\"]");
        assertThat(manifest.at("/data/split").asText()).isEqualTo("stratified");
        assertThat(manifest.at("/data/text_column").asText()).isEqualTo("headline");
        assertThat(manifest.at("/metrics/dev_recall_weather").isNumber()).isTrue();
        assertThat(manifest.at("/training/class_weights").asText()).isEqualTo("[1.0, 1.0, 1.0]");
        double accuracy = manifest.at("/metrics/dev_accuracy").asDouble();
        Path predictions = directory.resolve("predictions.jsonl");
        Path png = directory.resolve("eval-confusion.png");

        CommandRun evaluated = CommandRun.of("eval", "-m", model.toString(), "-d", csv.toString(), "--split", "dev",
                "--predictions", predictions.toString(), "--confusion-png", png.toString());

        assertThat(evaluated.code()).as(evaluated.err()).isEqualTo(Main.OK);
        assertThat(evaluated.out()).contains("(dev, 30 texts)")
                .contains(String.format(Locale.ROOT, "accuracy %.4f%n", accuracy)).contains("macro-F1 ")
                .containsPattern("weather\\s+\\d\\.\\d{4}\\s+\\d\\.\\d{4}").contains("confusion matrix");
        assertThat(ImageIO.read(png.toFile())).isNotNull();
        List<String> lines = Files.readAllLines(predictions);
        assertThat(lines).hasSize(30);
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertThat(CLASSES).contains(first.get("label").asText(), first.get("predicted").asText());
        assertThat(first.get("text").asText()).contains("today,\nsaid");
        double sum = 0;
        for (String label : CLASSES) {
            sum += first.get("p_" + label).asDouble();
        }
        assertThat(sum).as("every class's probability").isCloseTo(1, within(1e-5));
        assertThat(first.get("p_" + first.get("predicted").asText()).asDouble())
                .isEqualTo(first.get("probability").asDouble());
    }

    @Test
    void shouldFailNamingTheFileAndLineOfAnUnknownLabelInTheDevFile() throws IOException {
        Path train = directory.resolve("train.tsv");
        Files.writeString(train, "text\tlabel\n" + "good one\tyes\nbad one\tno\n".repeat(10));
        Path dev = directory.resolve("dev.tsv");
        Files.writeString(dev, "text\tlabel\ngood\tyes\nbad\tmaybe\n");

        CommandRun run = CommandRun.of("train", "classifier", "--train", train.toString(), "--dev", dev.toString(),
                "--vocab-size", "300", "--emb", "4", "--hidden", "4", "--epochs", "1", "-o",
                directory.resolve("m").toString(), "--checkpoint-dir", directory.resolve("c").toString());

        assertThat(run.code()).isEqualTo(Main.FAILED);
        assertThat(run.err()).contains(dev + " line 3: unknown label 'maybe'; the classes are [no, yes]");
    }

    @Test
    void shouldRecordArgumentsWithSpacesOrQuotesSoThatAShellReadsThemBack() {
        assertThat(RunOptions.shellWord("../data/train.tsv.gz")).isEqualTo("../data/train.tsv.gz");
        assertThat(RunOptions.shellWord("research use; cite X")).isEqualTo("'research use; cite X'");
        assertThat(RunOptions.shellWord("it's")).isEqualTo("'it'\\''s'");
    }
}
