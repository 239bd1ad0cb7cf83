package dev.qrnnstreams.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrnnstreams.nn.translate.QrnnTranslator;
import dev.qrnnstreams.nn.translate.TranslatorSpec;
import dev.qrnnstreams.text.BpeTokenizer;
import dev.qrnnstreams.text.BpeTrainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing and reading a translator bundle, and the checks that reject a damaged or foreign one. */
class TranslatorBundleTest {
    private static final BpeTokenizer SOURCE = BpeTrainer.builder().vocabularySize(300).build()
            .train(List.of("Ein Hund läuft im Schnee."));
    private static final BpeTokenizer TARGET = BpeTrainer.builder().vocabularySize(290).build()
            .train(List.of("A dog runs in the snow."));

    private static TranslatorBundle bundle() {
        TranslatorSpec spec = new TranslatorSpec(SOURCE.vocabulary().size(), TARGET.vocabulary().size(), 6, 5, 2, 2,
                0.1, 0.2);
        TranslatorManifest manifest = new TranslatorManifest(TranslatorBundle.FORMAT_VERSION, "test-de-en", "3",
                TranslatorBundle.TASK, spec, Map.of("terms", "test"), Map.of("val_bleu", 12.5),
                Map.of("command", "none"), Map.of());
        return new TranslatorBundle(manifest, QrnnTranslator.initial(spec, new SplittableRandom(3)), SOURCE, TARGET);
    }

    @Test
    void shouldReadBackWhatItWrote(@TempDir Path directory) throws IOException {
        TranslatorBundle bundle = bundle();
        TranslatorManifest written = bundle.write(directory);
        TranslatorBundle read = TranslatorBundle.read(directory);
        assertThat(read.manifest()).isEqualTo(written);
        assertThat(written.files()).containsOnlyKeys("weights.bin", "source.tokenizer.txt", "target.tokenizer.txt");
        Map<String, float[]> expected = bundle.translator().tensors();
        read.translator().tensors().forEach((name, values) -> assertThat(values).as(name)
                .containsExactly(expected.get(name)));
        assertThat(read.sourceTokenizer().encode("Ein Hund")).containsExactly(SOURCE.encode("Ein Hund"));
        assertThat(read.targetTokenizer().vocabulary().size()).isEqualTo(TARGET.vocabulary().size());
    }

    @Test
    void shouldRejectAFileThatDoesNotMatchItsChecksum(@TempDir Path directory) throws IOException {
        bundle().write(directory);
        Path weights = directory.resolve("weights.bin");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 1] ^= 1;
        Files.write(weights, bytes);
        assertThatThrownBy(() -> TranslatorBundle.read(directory)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("SHA-256");
    }

    @Test
    void shouldRejectAnotherFormatVersionOrTask(@TempDir Path directory) throws IOException {
        bundle().write(directory);
        Path manifest = directory.resolve("manifest.json");
        String json = Files.readString(manifest, StandardCharsets.UTF_8);
        Files.writeString(manifest, json.replace("\"formatVersion\" : 1", "\"formatVersion\" : 99"));
        assertThatThrownBy(() -> TranslatorBundle.read(directory)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("format version 99");
        Files.writeString(manifest, json.replace("\"task\" : \"translator\"", "\"task\" : \"classifier\""));
        assertThatThrownBy(() -> TranslatorBundle.read(directory)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("'classifier' model");
    }

    @Test
    void shouldRejectAnArchitectureTheWeightsDoNotHave(@TempDir Path directory) throws IOException {
        bundle().write(directory);
        Path manifest = directory.resolve("manifest.json");
        String json = Files.readString(manifest, StandardCharsets.UTF_8);
        Files.writeString(manifest, json.replace("\"hiddenSize\" : 5", "\"hiddenSize\" : 7"));
        assertThatThrownBy(() -> TranslatorBundle.read(directory)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("shape");
    }
}
