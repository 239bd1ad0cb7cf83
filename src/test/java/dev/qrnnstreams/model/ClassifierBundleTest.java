package dev.qrnnstreams.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrnnstreams.nn.cpu.CpuBackend;
import dev.qrnnstreams.nn.DenseBottleneck;
import dev.qrnnstreams.nn.EmbeddingTable;
import dev.qrnnstreams.nn.LinearSoftmaxHead;
import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.nn.QrnnState;
import dev.qrnnstreams.text.BpeTokenizer;
import dev.qrnnstreams.text.BpeTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Guards the bundle on disk: an exact round trip, and clear failures for every kind of damage. */
class ClassifierBundleTest {
    @TempDir
    Path directory;

    private ClassifierBundle bundle;

    @BeforeEach
    void makeBundle() {
        BpeTokenizer tokenizer = BpeTrainer.builder().vocabularySize(300).build()
                .train(List.of("a fine film", "a dull film", "fine acting, dull plot"));
        QrnnStackSpec spec = QrnnStackSpec.builder().inputSize(6).hiddenSize(8).layers(2).window(2)
                .pooling(Pooling.FO).pooling(1, Pooling.IFO).dense(true).zoneout(0.1).build();
        int vocabulary = tokenizer.vocabulary().size();
        SplittableRandom random = new SplittableRandom(1);
        ModelManifest manifest = new ModelManifest(ClassifierBundle.FORMAT_VERSION, "tiny-sentiment", "0.1.0",
                ClassifierBundle.TASK, ClassifierArchitecture.of(spec, vocabulary, List.of("negative", "positive")),
                Map.of("source", "three hand-written sentences", "terms", "public domain"),
                Map.of("dev_accuracy", 0.5), Map.of("command", "none: random weights for a format test"), Map.of());
        bundle = new ClassifierBundle(manifest, new ClassifierInput.Embedded(
                EmbeddingTable.gaussian(vocabulary, 6, 0.1, random), tokenizer),
                QrnnStack.glorotUniform(spec, random), LinearSoftmaxHead.glorotUniform(8, 2, random));
    }

    @Test
    void shouldReadBackTheSameModelAndChecksums() throws IOException {
        ModelManifest written = bundle.write(directory);

        ClassifierBundle read = ClassifierBundle.read(directory);

        assertThat(written.files()).containsOnlyKeys("weights.bin", "tokenizer.txt");
        assertThat(read.manifest()).isEqualTo(written);
        ClassifierInput.Embedded readInput = (ClassifierInput.Embedded) read.input();
        ClassifierInput.Embedded input = (ClassifierInput.Embedded) bundle.input();
        assertThat(readInput.embedding().vectors()).containsExactly(input.embedding().vectors());
        assertThat(read.head().weights()).containsExactly(bundle.head().weights());
        int[] tokens = readInput.tokenizer().encode("a fine plot");
        assertThat(tokens).containsExactly(input.tokenizer().encode("a fine plot"));
        try (CpuBackend backend = CpuBackend.vectorised()) {
            float[] x = readInput.embedding().lookup(tokens);
            assertThat(backend.step(read.stack(), QrnnState.initial(read.stack()), x).outputs())
                    .containsExactly(backend.step(bundle.stack(), QrnnState.initial(bundle.stack()), x).outputs());
        }
    }

    @Test
    void shouldReadBackAProjectionModelWithItsHashingSettingsAndNoTokenizer() throws IOException {
        ClassifierBundle projected = projected();
        ModelManifest written = projected.write(directory);

        ClassifierBundle read = ClassifierBundle.read(directory);

        assertThat(written.files()).containsOnlyKeys("weights.bin");
        assertThat(directory.resolve("tokenizer.txt")).doesNotExist();
        assertThat(read.manifest()).isEqualTo(written);
        assertThat(read.manifest().architecture().projection()).isEqualTo(new ProjectionSpec(24, 2, 3, true));
        assertSameModel(read, projected);
    }

    @Test
    void shouldReadTheSavedFormatTwoProjectionBundle() throws IOException {
        ClassifierBundle saved = ClassifierBundle.read(Path.of("src/test/resources/bundles/tiny-pqrnn-v2"));

        assertThat(saved.manifest().formatVersion()).isEqualTo(2);
        assertSameModel(saved, projected());
    }

    @Test
    void shouldReadAFormatOneBundleAsAnEmbeddingModel() throws IOException {
        bundle.write(directory);
        Path manifest = directory.resolve("manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"formatVersion\" : 2", "\"formatVersion\" : 1")
                .replace(",\n    \"projection\" : null", ""));

        ClassifierBundle read = ClassifierBundle.read(directory);

        assertThat(read.manifest().formatVersion()).isEqualTo(1);
        assertThat(read.input()).isInstanceOf(ClassifierInput.Embedded.class);
    }

    /** A fixed projection model: every value from seed 7. */
    static ClassifierBundle projected() {
        QrnnStackSpec spec = QrnnStackSpec.builder().inputSize(5).hiddenSize(6).layers(2).window(2)
                .pooling(Pooling.FO).dense(true).build();
        ProjectionSpec projection = new ProjectionSpec(24, 2, 3, true);
        SplittableRandom random = new SplittableRandom(7);
        ModelManifest manifest = new ModelManifest(ClassifierBundle.FORMAT_VERSION, "tiny-pqrnn", "0.1.0",
                ClassifierBundle.TASK, ClassifierArchitecture.projected(spec, projection, List.of("negative", "positive")),
                Map.of("source", "none", "terms", "public domain"), Map.of("dev_accuracy", 0.5),
                Map.of("command", "none: random weights for a format test"), Map.of());
        return new ClassifierBundle(manifest, new ClassifierInput.Projected(projection,
                DenseBottleneck.glorotUniform(24, 5, random)), QrnnStack.glorotUniform(spec, random),
                LinearSoftmaxHead.glorotUniform(6, 2, random));
    }

    private static void assertSameModel(ClassifierBundle actual, ClassifierBundle expected) {
        ClassifierInput.Projected a = (ClassifierInput.Projected) actual.input();
        ClassifierInput.Projected e = (ClassifierInput.Projected) expected.input();
        assertThat(a.spec()).isEqualTo(e.spec());
        assertThat(a.bottleneck().weights()).containsExactly(e.bottleneck().weights());
        assertThat(a.bottleneck().bias()).containsExactly(e.bottleneck().bias());
        assertThat(actual.head().weights()).containsExactly(expected.head().weights());
        for (int l = 0; l < expected.stack().layers().size(); l++) {
            assertThat(actual.stack().layer(l).packedWeights()).containsExactly(expected.stack().layer(l).packedWeights());
        }
    }

    @Test
    void shouldRejectWeightsThatDoNotMatchTheirChecksum() throws IOException {
        bundle.write(directory);
        byte[] weights = Files.readAllBytes(directory.resolve("weights.bin"));
        weights[weights.length - 1] ^= 1;
        Files.write(directory.resolve("weights.bin"), weights);

        assertThatThrownBy(() -> ClassifierBundle.read(directory)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("weights.bin has SHA-256");
    }

    @Test
    void shouldRejectAnUnknownFormatVersion() throws IOException {
        bundle.write(directory);
        Path manifest = directory.resolve("manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"formatVersion\" : 2", "\"formatVersion\" : 3"));

        assertThatThrownBy(() -> ClassifierBundle.read(directory)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("bundle format version 3");
    }

    @Test
    void shouldRejectAMissingFile() throws IOException {
        bundle.write(directory);
        Files.delete(directory.resolve("tokenizer.txt"));

        assertThatThrownBy(() -> ClassifierBundle.read(directory)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("tokenizer.txt is missing");
    }

    @Test
    void shouldRejectWeightsWhoseShapesDisagreeWithTheManifest() throws IOException {
        bundle.write(directory);
        Path manifest = directory.resolve("manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"hiddenSize\" : 8", "\"hiddenSize\" : 9"));

        assertThatThrownBy(() -> ClassifierBundle.read(directory)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("does not match its manifest");
    }
}
