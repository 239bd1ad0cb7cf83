package dev.qrnnstreams.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qrnnstreams.train.ParallelCorpus;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end through the command line on the first lines of the real Multi30k files: {@code train
 * translator} writes a bundle whose manifest records the command and the val BLEU, {@code eval} reports
 * the same BLEU, and running the command again resumes from the finished checkpoint.
 */
class TrainTranslatorCommandTest {
    @TempDir
    Path directory;

    @Test
    void shouldTrainATinyTranslatorThenEvaluateItAndResume() throws IOException {
        assumeTrue(SharedData.has("multi30k/raw/train.de.gz"), () -> SharedData.missing("multi30k/raw/train.de.gz"));
        Path raw = directory.resolve("data/multi30k/raw");
        Files.createDirectories(raw);
        for (String file : List.of("train.de.gz", "train.en.gz")) {
            copyHead(SharedData.directory().resolve("multi30k/raw").resolve(file), raw.resolve(file), 80);
        }
        for (String file : List.of("val.de.gz", "val.en.gz")) {
            copyHead(SharedData.directory().resolve("multi30k/raw").resolve(file), raw.resolve(file), 10);
        }
        Path model = directory.resolve("model");
        String[] train = {"train", "translator", "--data-dir", directory.resolve("data").toString(),
            "--checkpoint-dir", directory.resolve("work").toString(), "-o", model.toString(), "--source-vocabulary",
            "320", "--target-vocabulary", "300", "--emb", "8", "--hidden", "8", "--epochs", "2", "--batch", "16",
            "--warmup", "2", "--threads", "2", "--dev-sentences", "4", "--beam", "2"};

        CommandRun trained = CommandRun.of(train);

        assertThat(trained.code()).as(trained.err()).isEqualTo(Main.OK);
        assertThat(trained.err()).contains("epoch 2 done");
        JsonNode manifest = new ObjectMapper().readTree(model.resolve("manifest.json").toFile());
        assertThat(manifest.at("/task").asText()).isEqualTo("translator");
        assertThat(manifest.at("/training/command").asText()).startsWith("bin/qrnn train translator --data-dir");
        assertThat(manifest.at("/data/terms").asText()).contains("non-commercial");
        assertThat(manifest.at("/metrics/val_sample_sentences").asDouble()).isEqualTo(10);
        double bleu = manifest.at("/metrics/val_bleu").asDouble();

        Path translations = directory.resolve("translations.tsv");
        CommandRun evaluated = CommandRun.of("eval", "-m", model.toString(), "-d", raw.resolve("val.de.gz").toString(),
                "--predictions", translations.toString());

        assertThat(evaluated.code()).as(evaluated.err()).isEqualTo(Main.OK);
        assertThat(evaluated.out()).contains("(10 sentences), beam 2")
                .contains(String.format(Locale.ROOT, "BLEU %.2f ", bleu));
        assertThat(Files.readAllLines(translations)).hasSize(11).first().isEqualTo("source\treference\ttranslation");

        CommandRun resumed = CommandRun.of(train);

        assertThat(resumed.code()).as(resumed.err()).isEqualTo(Main.OK);
        assertThat(resumed.err()).doesNotContain("step 1/");
        assertThat(new ObjectMapper().readTree(model.resolve("manifest.json").toFile()).at("/metrics/val_bleu")
                .asDouble()).isEqualTo(bleu);
    }

    private static void copyHead(Path from, Path to, int lines) throws IOException {
        List<String> head = ParallelCorpus.lines(from).subList(0, lines);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(to))) {
            out.write((String.join("\n", head) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
