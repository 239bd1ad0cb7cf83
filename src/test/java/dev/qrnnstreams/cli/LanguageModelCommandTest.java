package dev.qrnnstreams.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qrnnstreams.model.ClassifierBundle;
import dev.qrnnstreams.model.LanguageModelBundle;
import dev.qrnnstreams.model.ModelFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Language-model pre-training end to end through the command line: {@code train lm} on a user's unlabelled
 * JSON Lines file writes a language-model bundle whose dev perplexity lies far below the vocabulary's size
 * (a model that learned nothing scores about the vocabulary size), {@code eval} re-measures the same
 * perplexity, and {@code train classifier --init-from} starts a classifier from the model's tokenizer,
 * embedding and stack with a new head.
 */
class LanguageModelCommandTest {
    private static final List<String> SUBJECTS = List.of("the cat", "a dog", "my friend", "the train");
    private static final List<String> VERBS = List.of("sleeps on", "waits for", "looks at");
    private static final List<String> OBJECTS = List.of("the mat.", "the station.", "a bird.");

    @TempDir
    Path directory;

    @Test
    void shouldPretrainEvaluateAndStartAClassifierFromALanguageModel() throws IOException {
        Path texts = texts("texts.jsonl", 300, new SplittableRandom(3));
        Path model = directory.resolve("lm");

        CommandRun trained = pretrain(texts, model, "4", List.of());

        assertThat(trained.code()).as(trained.err()).isEqualTo(Main.OK);
        assertThat(trained.out()).contains("270 training sequences").contains("30 dev sequences");
        JsonNode manifest = new ObjectMapper().readTree(model.resolve("manifest.json").toFile());
        assertThat(manifest.get("task").asText()).isEqualTo(LanguageModelBundle.TASK);
        double perplexity = manifest.at("/metrics/dev_perplexity").asDouble();
        int vocabulary = manifest.at("/architecture/vocabularySize").asInt();
        assertThat(perplexity).isLessThan(vocabulary / 4.0);
        assertThat(LanguageModelBundle.read(model).output().classes()).isEqualTo(vocabulary);
        assertThat(catchThrowable(() -> ClassifierBundle.read(model)))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("not a classifier");

        CommandRun evaluated = CommandRun.of("eval", "-m", model.toString(), "-d", texts.toString(),
                "--text-column", "body", "--split", "dev");

        assertThat(evaluated.code()).as(evaluated.err()).isEqualTo(Main.OK);
        assertThat(evaluated.out()).contains("(dev, 30 texts").contains(String.format(Locale.ROOT, "perplexity %.2f",
                perplexity));

        Path labelled = directory.resolve("labelled.csv");
        SplittableRandom random = new SplittableRandom(5);
        StringBuilder rows = new StringBuilder("text,label\n");
        for (int i = 0; i < 60; i++) {
            String sentence = sentence(random);
            rows.append(sentence).append(',').append(sentence.contains("cat") ? "cat" : "other").append('\n');
        }
        Files.writeString(labelled, rows, StandardCharsets.UTF_8);
        Path classifier = directory.resolve("classifier");
        CommandRun started = CommandRun.of("train", "classifier", "--train", labelled.toString(), "--init-from",
                model.toString(), "--dropout", "0.25", "--epochs", "1", "--batch", "10", "-o", classifier.toString(),
                "--checkpoint-dir", directory.resolve("classifier-checkpoints").toString());

        assertThat(started.code()).as(started.err()).isEqualTo(Main.OK);
        assertThat(started.out()).contains("a new head for [cat, other]");
        ClassifierBundle bundle = ClassifierBundle.read(classifier);
        assertThat(bundle.manifest().architecture().vocabularySize()).isEqualTo(vocabulary);
        assertThat(bundle.manifest().architecture().dropout()).isEqualTo(0.25);
        assertThat(bundle.manifest().data().get("initialised_from")).startsWith("own-lm 1");

        Path tuned = directory.resolve("tuned");
        CommandRun onTaskText = CommandRun.of("train", "lm", "--train", labelled.toString(), "--label-column", "label",
                "--init-from", model.toString(), "--epochs", "1", "--batch", "10", "-o", tuned.toString(),
                "--checkpoint-dir", directory.resolve("tuned-checkpoints").toString());

        assertThat(onTaskText.code()).as(onTaskText.err()).isEqualTo(Main.OK);
        Map<String, String> tunedData = LanguageModelBundle.read(tuned).manifest().data();
        assertThat(tunedData).as("the classifier's own carve of the file, so its dev texts stay unread")
                .containsEntry("split", "stratified")
                .containsEntry("dev_class_counts", bundle.manifest().data().get("dev_class_counts"))
                .containsEntry("lm_dev_texts", bundle.manifest().data().get("dev_texts"));
    }

    @Test
    void shouldContinueALanguageModelOnTheTextOfAnotherDomain() throws IOException {
        Path model = directory.resolve("lm");
        assertThat(pretrain(texts("texts.jsonl", 300, new SplittableRandom(3)), model, "4", List.of()).code())
                .isEqualTo(Main.OK);
        Path domain = texts("domain.jsonl", 100, new SplittableRandom(4));

        CommandRun fresh = pretrain(domain, directory.resolve("fresh"), "1", List.of("--tokenizer-from",
                model.toString()));
        CommandRun continued = pretrain(domain, directory.resolve("continued"), "1", List.of("--init-from",
                model.toString(), "--data-name", "domain", "--data-terms", "ours"));

        assertThat(continued.code()).as(continued.err()).isEqualTo(Main.OK);
        LanguageModelBundle bundle = LanguageModelBundle.read(directory.resolve("continued"));
        assertThat(bundle.manifest().name()).isEqualTo("domain-lm");
        assertThat(bundle.manifest().architecture().stackSpec())
                .isEqualTo(LanguageModelBundle.read(model).manifest().architecture().stackSpec());
        assertThat(bundle.manifest().data()).containsEntry("initialised_from", "own-lm 1, trained on own")
                .containsEntry("terms", "ours");
        assertThat(perplexity(directory.resolve("continued")))
                .as("one epoch from the pre-trained model against one epoch from random weights")
                .isLessThan(perplexity(directory.resolve("fresh")) / 2);
        CommandRun again = pretrain(domain, directory.resolve("again"), "1", List.of("--init-from",
                directory.resolve("continued").toString(), "--data-terms", "ours"));
        assertThat(again.code()).as(again.err()).isEqualTo(Main.OK);
        assertThat(LanguageModelBundle.read(directory.resolve("again")).manifest().data())
                .as("terms already stated are not repeated").containsEntry("terms", "ours");
        CommandRun both = pretrain(domain, directory.resolve("both"), "1", List.of("--init-from", model.toString(),
                "--tokenizer-from", model.toString()));
        assertThat(both.code()).isNotEqualTo(Main.OK);
        assertThat(both.err()).contains("not both");
    }

    /** Trains a small language model on {@code texts} for {@code epochs} epochs with {@code more} options. */
    private CommandRun pretrain(Path texts, Path model, String epochs, List<String> more) {
        List<String> arguments = new ArrayList<>(List.of("train", "lm", "--train", texts.toString(),
                "--text-column", "body", "--vocab-size", "300", "--emb", "8", "--hidden", "16", "--epochs", epochs,
                "--batch", "10", "--samples", "32", "--dropout", "0", "--zoneout", "0", "--lr", "1e-2", "--warmup", "5",
                "-o", model.toString(), "--checkpoint-dir", model + "-checkpoints"));
        arguments.addAll(more);
        return CommandRun.of(arguments.toArray(String[]::new));
    }

    /** A JSON Lines file of {@code count} texts of two sentences each, in the field {@code body}. */
    private Path texts(String name, int count, SplittableRandom random) throws IOException {
        Path file = directory.resolve(name);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < count; i++) {
            lines.append("{\"id\":").append(i).append(",\"body\":\"").append(sentence(random)).append(' ')
                    .append(sentence(random)).append("\"}\n");
        }
        Files.writeString(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    private static double perplexity(Path model) throws IOException {
        return new ObjectMapper().readTree(model.resolve("manifest.json").toFile()).at("/metrics/dev_perplexity")
                .asDouble();
    }

    private static String sentence(SplittableRandom random) {
        return SUBJECTS.get(random.nextInt(SUBJECTS.size())) + " " + VERBS.get(random.nextInt(VERBS.size())) + " "
                + OBJECTS.get(random.nextInt(OBJECTS.size()));
    }
}
