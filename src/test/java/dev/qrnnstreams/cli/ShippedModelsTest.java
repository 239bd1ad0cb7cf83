package dev.qrnnstreams.cli;

import dev.qrnnstreams.inference.ClassifierFrontEnd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.qrnnstreams.model.BundleTask;
import dev.qrnnstreams.model.ClassifierBundle;
import dev.qrnnstreams.model.LanguageModelBundle;
import dev.qrnnstreams.train.ClassLabels;
import dev.qrnnstreams.train.ClassificationDataset;
import dev.qrnnstreams.train.ClassifierEvaluation;
import dev.qrnnstreams.train.LabelledFiles;
import dev.qrnnstreams.train.LabelledText;
import dev.qrnnstreams.train.LabelledTextReader;
import dev.qrnnstreams.train.LanguageModelEvaluation;
import dev.qrnnstreams.train.LanguageModelRecipe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Loads every classifier bundle shipped in {@code models/} (checksums and format checked on the way; a
 * projection model holds at most 2M parameters)
 * (a preset's or, for a model trained on its own file, the recorded split of that file read as recorded)
 * and measures it on the fixed dev sample its manifest describes (the first
 * {@value dev.qrnnstreams.train.ClassifierRecipe#DEV_SAMPLE} dev texts): the accuracy must match the manifest's
 * {@code dev_sample_accuracy} within one text, and that sample must agree with the whole dev set's
 * {@code dev_accuracy} within four standard errors. Skipped, with a message, where the shared data
 * is absent. Every shipped language model is checked the same way on its dev perplexity.
 */
class ShippedModelsTest {
    private static final Path MODELS = Path.of("models");
    private static final int LANGUAGE_MODEL_SAMPLE = 40;

    @TestFactory
    Stream<DynamicTest> shouldReproduceTheManifestAccuracyOfEveryShippedClassifier() throws IOException {
        List<Path> bundles;
        try (Stream<Path> entries = Files.isDirectory(MODELS) ? Files.list(MODELS) : Stream.empty()) {
            bundles = entries.filter(dir -> Files.isRegularFile(dir.resolve("manifest.json"))).sorted().toList();
        }
        List<Path> classifiers = bundles.stream().filter(ShippedModelsTest::isClassifier).toList();
        assertThat(classifiers).as("classifier bundles shipped in models/").isNotEmpty();
        return classifiers.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(),
                () -> check(dir)));
    }

    @TestFactory
    Stream<DynamicTest> shouldReproduceTheDevPerplexityOfEveryShippedLanguageModel() throws IOException {
        List<Path> models;
        try (Stream<Path> entries = Files.isDirectory(MODELS) ? Files.list(MODELS) : Stream.empty()) {
            models = entries.filter(dir -> Files.isRegularFile(dir.resolve("manifest.json")))
                    .filter(ShippedModelsTest::isLanguageModel).sorted().toList();
        }
        return models.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(),
                () -> checkLanguageModel(dir)));
    }

    /**
     * A language model's bundle is at most 25 MB, and its perplexity on the first
     * {@value #LANGUAGE_MODEL_SAMPLE} dev reviews lies within 0.1 nats per token of the manifest's dev
     * perplexity (measured on more of them).
     */
    private static void checkLanguageModel(Path dir) throws IOException {
        LanguageModelBundle bundle = LanguageModelBundle.read(dir);
        assertThat(size(dir, bundle.manifest().files().keySet())).as("bundle size").isLessThanOrEqualTo(25L << 20);
        Map<String, String> data = bundle.manifest().data();
        String file = data.get("train_file");
        assumeTrue(SharedData.has(file), () -> SharedData.missing(file));
        List<String> dev = ClassificationDataset.of(data.get("dataset")).load(SharedData.directory(),
                Double.parseDouble(data.get("dev_fraction")), Long.parseLong(data.get("split_seed"))).dev().stream()
                .limit(LANGUAGE_MODEL_SAMPLE).map(LabelledText::text).toList();
        int maxTokens = Integer.parseInt(bundle.manifest().training().get("max_tokens"));

        double perplexity = LanguageModelEvaluation.of(bundle.input().embedding(), bundle.stack(), bundle.output(),
                LanguageModelRecipe.sequences(bundle.input().tokenizer(), dev, maxTokens)).perplexity();

        assertThat(Math.log(perplexity)).as("log perplexity on %d dev reviews", LANGUAGE_MODEL_SAMPLE)
                .isCloseTo(Math.log(bundle.manifest().metrics().get("dev_perplexity")), within(0.1));
    }

    private static boolean isLanguageModel(Path dir) {
        try {
            return LanguageModelBundle.TASK.equals(BundleTask.of(dir));
        } catch (IOException e) {
            return false;
        }
    }

    private static long size(Path dir, Iterable<String> files) throws IOException {
        long size = 0;
        for (String file : files) {
            size += Files.size(dir.resolve(file));
        }
        return size;
    }

    private static boolean isClassifier(Path dir) {
        try {
            return ClassifierBundle.TASK.equals(BundleTask.of(dir));
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * The dev set the manifest describes: a preset's (SST-2, IMDb), or for a model trained on a file of
     * its own the split the manifest records, of that file read as the manifest records.
     */
    private static List<LabelledText> devSet(ClassifierBundle bundle) throws IOException {
        Map<String, String> data = bundle.manifest().data();
        Optional<LabelledTextReader.Builder> reader = LabelledTextReader.fromSettings(data);
        if (reader.isEmpty()) {
            double devFraction = Double.parseDouble(data.getOrDefault("dev_fraction", "0.1"));
            long splitSeed = Long.parseLong(data.getOrDefault("split_seed", "0"));
            return ClassificationDataset.of(data.get("dataset")).load(SharedData.directory(), devFraction, splitSeed)
                    .dev();
        }
        List<LabelledText> texts = ClassLabels.of(bundle.manifest().architecture().labels())
                .label(reader.get().build().read(SharedData.directory().resolve(data.get("train_file"))), false)
                .texts();
        return LabelledFiles.recordedSplit(texts, data).orElseThrow().dev();
    }

    private static void check(Path dir) throws IOException {
        ClassifierBundle bundle = ClassifierBundle.read(dir);
        assertThat(size(dir, bundle.manifest().files().keySet())).as("bundle size").isLessThanOrEqualTo(25L << 20);
        if (bundle.manifest().architecture().usesProjection()) {
            assertThat(bundle.parameterCount()).as("parameters of a projection model").isLessThanOrEqualTo(2_000_000);
        }
        Map<String, String> data = bundle.manifest().data();
        String file = data.get("train_file");
        assumeTrue(SharedData.has(file), () -> SharedData.missing(file));
        List<LabelledText> dev = devSet(bundle);
        Map<String, Double> metrics = bundle.manifest().metrics();
        int sampleSize = metrics.get("dev_sample_texts").intValue();
        assertThat(dev.size()).as("dev texts").isEqualTo(metrics.get("dev_texts").intValue());

        double accuracy = ClassifierEvaluation.of(ClassifierFrontEnd.of(bundle.input()), bundle.stack(),
                bundle.head(), bundle.readout(), dev.subList(0, sampleSize)).accuracy();

        assertThat(accuracy).as("accuracy on the first %d dev texts", sampleSize)
                .isCloseTo(metrics.get("dev_sample_accuracy"), within(1.0 / sampleSize + 1e-9));
        double whole = metrics.get("dev_accuracy");
        double standardError = Math.sqrt(whole * (1 - whole) / sampleSize);
        assertThat(accuracy).as("sample against the whole dev set").isCloseTo(whole, within(4 * standardError));
    }
}
