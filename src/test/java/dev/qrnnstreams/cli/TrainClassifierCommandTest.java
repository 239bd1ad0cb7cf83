package dev.qrnnstreams.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end through the command line on the first lines of the real SST-2 files: {@code train
 * classifier} writes a complete bundle with plots and a manifest, {@code eval} on the dev file reports
 * the accuracy the manifest recorded, and {@code --resume} continues from the last checkpoint. And on
 * a small IMDb-format file: {@code eval --split dev} rebuilds the dev split the manifest records.
 */
class TrainClassifierCommandTest {
    @TempDir
    Path directory;

    @Test
    void shouldTrainATinyModelThenEvaluateItAndResumeFromItsCheckpoint() throws IOException {
        assumeTrue(SharedData.has("sst2/train.tsv"), () -> SharedData.missing("sst2/train.tsv"));
        Path data = directory.resolve("data");
        Files.createDirectories(data.resolve("sst2"));
        copyHead(SharedData.directory().resolve("sst2/train.tsv"), data.resolve("sst2/train.tsv"), 301);
        copyHead(SharedData.directory().resolve("sst2/dev.tsv"), data.resolve("sst2/dev.tsv"), 61);
        Path model = directory.resolve("model");
        String[] train = {"train", "classifier", "--data-dir", data.toString(), "--vocab-size", "400", "--emb", "8",
            "--hidden", "8", "--epochs", "2", "--batch", "16", "--warmup", "4", "--optimiser", "rmsprop",
            "--lr", "3e-3", "-o", model.toString(), "--checkpoint-dir", directory.resolve("checkpoints").toString()};

        CommandRun trained = CommandRun.of(train);

        assertThat(trained.code()).as(trained.err()).isEqualTo(Main.OK);
        assertThat(trained.out()).contains("sst2: 300 training texts, 60 dev texts").contains("epoch 2:");
        for (String file : List.of("manifest.json", "weights.bin", "tokenizer.txt", "training-curve.png",
                "prefix-accuracy.png")) {
            assertThat(model.resolve(file)).isNotEmptyFile();
        }
        assertThat(ImageIO.read(model.resolve("prefix-accuracy.png").toFile())).isNotNull();
        JsonNode manifest = new ObjectMapper().readTree(model.resolve("manifest.json").toFile());
        double accuracy = manifest.at("/metrics/dev_accuracy").asDouble();
        assertThat(manifest.at("/metrics/dev_texts").asDouble()).isEqualTo(60);
        assertThat(manifest.at("/metrics/dev_accuracy_prefix_050").isNumber()).isTrue();
        assertThat(manifest.at("/training/command").asText()).startsWith("bin/qrnn train classifier --data-dir");
        assertThat(manifest.at("/training/tokens_per_second").asText()).isNotEmpty();
        assertThat(manifest.at("/data/terms").asText()).contains("Socher et al. 2013");

        CommandRun evaluated = CommandRun.of("eval", "-m", model.toString(), "-d", data.resolve("sst2/dev.tsv").toString());

        assertThat(evaluated.code()).as(evaluated.err()).isEqualTo(Main.OK);
        assertThat(evaluated.out()).contains(String.format(Locale.ROOT, "accuracy %.4f%n", accuracy))
                .contains("60 texts").contains("accuracy after  50% of the tokens");

        byte[] weights = Files.readAllBytes(model.resolve("weights.bin"));
        String[] resume = append(train, "--resume");
        CommandRun resumed = CommandRun.of(resume);

        assertThat(resumed.code()).as(resumed.err()).isEqualTo(Main.OK);
        assertThat(Files.readAllBytes(model.resolve("weights.bin"))).as("nothing left to train").isEqualTo(weights);

        CommandRun otherRun = CommandRun.of(append(resume, "--seed", "5"));

        assertThat(otherRun.code()).isEqualTo(Main.FAILED);
        assertThat(otherRun.err()).contains("other settings");
    }

    @Test
    void shouldTrainATinyProjectionModelWithNoVocabularyAndResumeItsCheckpoint() throws IOException {
        Path file = directory.resolve("reviews.tsv");
        List<String> lines = new java.util.ArrayList<>(List.of("text\tlabel"));
        for (int i = 0; i < 120; i++) {
            lines.add((i % 2 == 0 ? "a superb, moving film " : "an awful, boring film ") + "number " + i + "\t" + i % 2);
        }
        Files.write(directory.resolve("reviews.tsv"), lines);
        Path model = directory.resolve("pmodel");
        String[] train = {"train", "classifier", "--train", file.toString(), "--input", "projection", "--features",
            "32", "--bottleneck", "8", "--min-gram", "2", "--max-gram", "3", "--hidden", "8", "--epochs", "4", "--lr", "1e-2",
            "--batch", "8", "--warmup", "4", "-o", model.toString(), "--checkpoint-dir",
            directory.resolve("pcheckpoints").toString()};

        CommandRun trained = CommandRun.of(train);

        assertThat(trained.code()).as(trained.err()).isEqualTo(Main.OK);
        assertThat(model.resolve("tokenizer.txt")).doesNotExist();
        JsonNode manifest = new ObjectMapper().readTree(model.resolve("manifest.json").toFile());
        assertThat(manifest.at("/name").asText()).isEqualTo("own-pqrnn");
        assertThat(manifest.at("/formatVersion").asInt()).isEqualTo(2);
        assertThat(manifest.at("/architecture/projection/features").asInt()).isEqualTo(32);
        assertThat(manifest.at("/architecture/projection/maxGram").asInt()).isEqualTo(3);
        assertThat(manifest.at("/architecture/embeddingSize").asInt()).isEqualTo(8);
        assertThat(manifest.at("/metrics/dev_accuracy").asDouble()).isGreaterThan(0.9);

        CommandRun evaluated = CommandRun.of("eval", "-m", model.toString(), "-d", file.toString(), "--split", "dev");

        assertThat(evaluated.code()).as(evaluated.err()).isEqualTo(Main.OK);
        assertThat(evaluated.out()).contains(String.format(Locale.ROOT, "accuracy %.4f%n",
                manifest.at("/metrics/dev_accuracy").asDouble()));

        byte[] weights = Files.readAllBytes(model.resolve("weights.bin"));
        CommandRun resumed = CommandRun.of(append(train, "--resume"));

        assertThat(resumed.code()).as(resumed.err()).isEqualTo(Main.OK);
        assertThat(Files.readAllBytes(model.resolve("weights.bin"))).as("nothing left to train").isEqualTo(weights);

        Path unlabelled = directory.resolve("unlabelled.tsv");
        Files.write(unlabelled, List.of("id\tbody", "1\ta \"superb film", "2\t", "3\tan awful film", "4\ta boring film",
                "5\tnot read"));
        Path student = directory.resolve("student");
        CommandRun distilled = CommandRun.of("train", "classifier", "--train", file.toString(), "--input", "projection",
                "--features", "16", "--bottleneck", "4", "--hidden", "4", "--epochs", "1", "--distil-from",
                model.toString(), "--distil-from", model.toString(), "--distil-weight", "0.7", "--unlabelled",
                unlabelled.toString(), "--unlabelled-column", "body", "--unlabelled-quote", "none", "--unlabelled-limit", "3", "-o",
                student.toString(), "--checkpoint-dir", directory.resolve("scheckpoints").toString());

        assertThat(distilled.code()).as(distilled.err()).isEqualTo(Main.OK);
        assertThat(distilled.out()).contains("teachers own-pqrnn 1, own-pqrnn 1: targets of 108 training texts")
                .contains("unlabelled " + unlabelled + ": 3 texts labelled by the teachers");
        JsonNode studentManifest = new ObjectMapper().readTree(student.resolve("manifest.json").toFile());
        assertThat(studentManifest.at("/training/distilled_from").asText()).endsWith("teacher weight 0.7");
        assertThat(studentManifest.at("/training/unlabelled").asText())
                .isEqualTo(unlabelled + ", 3 texts labelled by the teachers");

        CommandRun noTeacher = CommandRun.of("train", "classifier", "--train", file.toString(), "--unlabelled",
                unlabelled.toString(), "-o", directory.resolve("none").toString());

        assertThat(noTeacher.code()).isEqualTo(Main.USAGE);
        assertThat(noTeacher.err()).contains("--unlabelled needs --distil-from");

        CommandRun badQuote = CommandRun.of("train", "classifier", "--train", file.toString(), "--distil-from",
                model.toString(), "--unlabelled", unlabelled.toString(), "--unlabelled-quote", "''", "-o",
                directory.resolve("none").toString());

        assertThat(badQuote.code()).isEqualTo(Main.USAGE);
        assertThat(badQuote.err()).contains("--unlabelled-quote must be one character or none, was ''");

        CommandRun fromProjection = CommandRun.of("train", "classifier", "--train", file.toString(), "--init-from",
                model.toString(), "-o", directory.resolve("other").toString());

        assertThat(fromProjection.code()).isEqualTo(Main.FAILED);
        assertThat(fromProjection.err()).contains("a projection classifier starts afresh");
    }

    @Test
    void shouldEvaluateTheImdbDevSplitThatTheManifestRecords() throws IOException {
        Path data = imdbLikeData(directory.resolve("data"));
        Path reviews = data.resolve("imdb/train.tsv.gz");
        Path model = directory.resolve("imdb-model");
        CommandRun trained = CommandRun.of("train", "classifier", "--dataset", "imdb", "--data-dir", data.toString(),
                "--dev-fraction", "0.2", "--split-seed", "3", "--vocab-size", "300", "--emb", "8", "--hidden", "8",
                "--epochs", "1", "--batch", "10", "-o", model.toString(),
                "--checkpoint-dir", directory.resolve("imdb-checkpoints").toString());
        assertThat(trained.code()).as(trained.err()).isEqualTo(Main.OK);
        double accuracy = new ObjectMapper().readTree(model.resolve("manifest.json").toFile())
                .at("/metrics/dev_accuracy").asDouble();

        CommandRun evaluated = CommandRun.of("eval", "-m", model.toString(), "-d", reviews.toString(), "--split", "dev");

        assertThat(evaluated.code()).as(evaluated.err()).isEqualTo(Main.OK);
        assertThat(evaluated.out()).contains("(dev, 20 texts)")
                .contains(String.format(Locale.ROOT, "accuracy %.4f%n", accuracy));
    }

    @Test
    void shouldStartFromAnotherBundlesTokenizerAndWeightsWhenInitialisedFromIt() throws IOException {
        Path data = imdbLikeData(directory.resolve("data"));
        Path source = directory.resolve("source");
        CommandRun first = CommandRun.of("train", "classifier", "--dataset", "imdb", "--data-dir", data.toString(),
                "--vocab-size", "300", "--emb", "8", "--hidden", "8", "--epochs", "1", "--batch", "10",
                "-o", source.toString(), "--checkpoint-dir", directory.resolve("source-checkpoints").toString());
        assertThat(first.code()).as(first.err()).isEqualTo(Main.OK);
        Path tuned = directory.resolve("tuned");

        CommandRun second = CommandRun.of("train", "classifier", "--dataset", "imdb", "--data-dir", data.toString(),
                "--init-from", source.toString(), "--emb", "32", "--epochs", "1", "--batch", "10", "--lr", "1e-9",
                "--warmup", "0", "--schedule", "constant", "-o", tuned.toString(),
                "--checkpoint-dir", directory.resolve("tuned-checkpoints").toString());

        assertThat(second.code()).as(second.err()).isEqualTo(Main.OK);
        assertThat(tuned.resolve("tokenizer.txt")).hasSameTextualContentAs(source.resolve("tokenizer.txt"));
        ObjectMapper json = new ObjectMapper();
        JsonNode before = json.readTree(source.resolve("manifest.json").toFile());
        JsonNode after = json.readTree(tuned.resolve("manifest.json").toFile());
        assertThat(after.get("architecture")).as("the architecture comes from the bundle, not --emb")
                .isEqualTo(before.get("architecture"));
        assertThat(after.at("/metrics/dev_accuracy").asDouble()).as("a step of 1e-9 keeps the starting weights")
                .isEqualTo(before.at("/metrics/dev_accuracy").asDouble());
    }

    /** An IMDb-format file of 100 short reviews whose label is told by one word. */
    private static Path imdbLikeData(Path data) throws IOException {
        Files.createDirectories(data.resolve("imdb"));
        try (PrintWriter out = new PrintWriter(new OutputStreamWriter(new GZIPOutputStream(
                Files.newOutputStream(data.resolve("imdb/train.tsv.gz"))), StandardCharsets.UTF_8))) {
            out.println("id\tlabel\trating\ttext");
            for (int i = 0; i < 100; i++) {
                boolean positive = i % 2 == 0;
                out.println(i + "\t" + (positive ? 1 : 0) + "\t" + (positive ? 9 : 2) + "\tThe film was "
                        + (positive ? "wonderful" : "dreadful") + " and the cast<br />was " + (i % 7) + ".");
            }
        }
        return data;
    }

    private static void copyHead(Path from, Path to, int lines) throws IOException {
        try (var stream = Files.lines(from)) {
            Files.write(to, stream.limit(lines).toList());
        }
    }

    private static String[] append(String[] args, String... more) {
        String[] all = Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }
}
