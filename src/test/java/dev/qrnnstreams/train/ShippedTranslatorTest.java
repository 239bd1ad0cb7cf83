package dev.qrnnstreams.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.qrnnstreams.inference.DecodingSettings;
import dev.qrnnstreams.inference.Translator;
import dev.qrnnstreams.model.TranslatorBundle;
import dev.qrnnstreams.model.TranslatorManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Loads the shipped Multi30k translator and checks its BLEU on the first val sentences (read from
 * {@code ../shared/data} or the directory the system property {@code qrnn.data.dir} names; skipped where the
 * data is absent) against the value its manifest records.
 */
class ShippedTranslatorTest {
    private static final Path BUNDLE = Path.of("models/multi30k-de-en");
    private static final Path DATA = Path.of(System.getProperty("qrnn.data.dir", "../shared/data"))
            .resolve("multi30k/raw");
    private static final long MAX_BUNDLE_BYTES = 25L * 1000 * 1000;

    @Test
    void shouldBeASmallValidBundle() throws IOException {
        TranslatorBundle bundle = TranslatorBundle.read(BUNDLE);
        assertThat(bundle.manifest().data().get("terms")).contains("non-commercial");
        try (Stream<Path> files = Files.list(BUNDLE)) {
            long bytes = files.mapToLong(path -> path.toFile().length()).sum();
            assertThat(bytes).isLessThanOrEqualTo(MAX_BUNDLE_BYTES);
        }
    }

    @Test
    void shouldDetokeniseEveryValReferenceToItsNormalisedText() throws IOException {
        assumeTrue(Files.exists(DATA.resolve("val.en.gz")), "Multi30k is not in " + DATA.toAbsolutePath());
        TranslatorBundle bundle = TranslatorBundle.read(BUNDLE);
        for (String reference : ParallelCorpus.lines(DATA.resolve("val.en.gz"))) {
            String normalised = bundle.targetTokenizer().normalize(reference);
            assertThat(bundle.targetTokenizer().decode(bundle.targetTokenizer().encode(reference))).isEqualTo(normalised);
            assertThat(CorpusBleu.tokenize13a(normalised)).isEqualTo(CorpusBleu.tokenize13a(reference));
        }
    }

    @Test
    void shouldScoreTheValSampleItsManifestRecords() throws IOException {
        assumeTrue(Files.exists(DATA.resolve("val.de.gz")), "Multi30k is not in " + DATA.toAbsolutePath());
        TranslatorBundle bundle = TranslatorBundle.read(BUNDLE);
        TranslatorManifest manifest = bundle.manifest();
        int sample = manifest.metrics().get("val_sample_sentences").intValue();
        List<ParallelCorpus.Pair> pairs = ParallelCorpus.read(DATA.resolve("val.de.gz"), DATA.resolve("val.en.gz"))
                .subList(0, sample);
        DecodingSettings settings = DecodingSettings.recordedIn(manifest.metrics());
        try (Translator translator = new Translator(bundle.translator(), bundle.sourceTokenizer(),
                bundle.targetTokenizer(), settings)) {
            List<String> translations = translator.translate(pairs.stream().map(ParallelCorpus.Pair::source).toList());
            double bleu = CorpusBleu.score(translations, pairs.stream().map(ParallelCorpus.Pair::target).toList())
                    .score();
            assertThat(bleu).isCloseTo(manifest.metrics().get("val_sample_bleu"), within(1.0));
        }
    }
}
