package dev.qrnnstreams.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.qrnnstreams.nn.translate.QrnnTranslator;
import dev.qrnnstreams.nn.translate.TranslatorSpec;
import dev.qrnnstreams.text.BpeTokenizer;
import dev.qrnnstreams.text.TokenizerFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A trained QRNN translator as a directory: {@code manifest.json} ({@link TranslatorManifest}),
 * {@code weights.bin} ({@link TensorFile}: the tensors {@link TranslatorSpec#tensorShapes()} names, with
 * those shapes and layouts), and {@code source.tokenizer.txt} and {@code target.tokenizer.txt}
 * ({@link TokenizerFormat}).
 *
 * <p>Reading checks the format version, the task, the SHA-256 of every file, the tensor names and
 * shapes, and that the tokenizers' vocabularies have the sizes the architecture says; it fails with
 * {@link ModelFormatException} naming what does not match.
 *
 * @param manifest what the model is; its file checksums are filled in by {@link #write}
 * @param translator the parameters
 * @param sourceTokenizer the tokenizer whose ids the source embedding indexes
 * @param targetTokenizer the tokenizer whose ids the target embedding and the output layer use
 */
public record TranslatorBundle(TranslatorManifest manifest, QrnnTranslator translator, BpeTokenizer sourceTokenizer,
                               BpeTokenizer targetTokenizer) {
    /** The bundle format version this build writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** The task name of a translator bundle. */
    public static final String TASK = "translator";
    static final String SOURCE_TOKENIZER = "source.tokenizer.txt";
    static final String TARGET_TOKENIZER = "target.tokenizer.txt";
    private static final List<String> FILES = List.of(ClassifierBundle.WEIGHTS, SOURCE_TOKENIZER, TARGET_TOKENIZER);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** Validates that the parts fit together. */
    public TranslatorBundle {
        Objects.requireNonNull(manifest, "manifest");
        TranslatorSpec spec = translator.spec();
        if (!spec.equals(manifest.architecture()) || sourceTokenizer.vocabulary().size() != spec.sourceVocabularySize()
                || targetTokenizer.vocabulary().size() != spec.targetVocabularySize()) {
            throw new IllegalArgumentException("the manifest's architecture " + manifest.architecture()
                    + ", the translator " + spec + " and the tokenizers' vocabularies ("
                    + sourceTokenizer.vocabulary().size() + ", " + targetTokenizer.vocabulary().size()
                    + ") do not fit together");
        }
    }

    /**
     * Writes the bundle into {@code directory} (created if needed), with the checksums of the files written.
     *
     * @return the manifest as written
     */
    public TranslatorManifest write(Path directory) throws IOException {
        Files.createDirectories(directory);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, float[]> values = translator.tensors();
        translator.spec().tensorShapes().forEach((name, shape) -> tensors.put(name, new Tensor(shape, values.get(name))));
        TensorFile.write(tensors, directory.resolve(ClassifierBundle.WEIGHTS));
        TokenizerFormat.write(sourceTokenizer, directory.resolve(SOURCE_TOKENIZER));
        TokenizerFormat.write(targetTokenizer, directory.resolve(TARGET_TOKENIZER));
        Map<String, String> files = new TreeMap<>();
        for (String file : FILES) {
            files.put(file, ClassifierBundle.sha256(directory.resolve(file)));
        }
        TranslatorManifest written = manifest.withFiles(files);
        JSON.writeValue(directory.resolve(ClassifierBundle.MANIFEST).toFile(), written);
        return written;
    }

    /**
     * Reads and checks the bundle in {@code directory}.
     *
     * @throws ModelFormatException if the bundle is of another version or task, a file is missing or does
     *     not match its checksum, or a tensor is missing or has the wrong shape
     */
    public static TranslatorBundle read(Path directory) throws IOException {
        TranslatorManifest manifest = readManifest(directory.resolve(ClassifierBundle.MANIFEST));
        for (String file : FILES) {
            String expected = manifest.files().get(file);
            Path path = directory.resolve(file);
            if (expected == null || !Files.exists(path)) {
                throw new ModelFormatException(directory + ": " + file + " is missing from the bundle or its manifest");
            }
            String actual = ClassifierBundle.sha256(path);
            if (!actual.equals(expected)) {
                throw new ModelFormatException(path + " has SHA-256 " + actual + " but the manifest says " + expected);
            }
        }
        Map<String, Tensor> tensors = TensorFile.read(directory.resolve(ClassifierBundle.WEIGHTS));
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> entry : manifest.architecture().tensorShapes().entrySet()) {
            Tensor tensor = tensors.get(entry.getKey());
            if (tensor == null) {
                throw new ModelFormatException("the weights file has no tensor '" + entry.getKey() + "'");
            }
            if (!Arrays.equals(tensor.shape(), entry.getValue())) {
                throw new ModelFormatException("tensor '" + entry.getKey() + "' has shape "
                        + Arrays.toString(tensor.shape()) + ", the architecture needs "
                        + Arrays.toString(entry.getValue()));
            }
            values.put(entry.getKey(), tensor.values());
        }
        try {
            return new TranslatorBundle(manifest, new QrnnTranslator(manifest.architecture(), values),
                    TokenizerFormat.read(directory.resolve(SOURCE_TOKENIZER)),
                    TokenizerFormat.read(directory.resolve(TARGET_TOKENIZER)));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(directory + " does not match its manifest: " + e.getMessage(), e);
        }
    }

    private static TranslatorManifest readManifest(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new ModelFormatException(path + " is missing");
        }
        TranslatorManifest manifest;
        try {
            manifest = JSON.readValue(path.toFile(), TranslatorManifest.class);
        } catch (IOException e) {
            throw new ModelFormatException(path + " is not a valid translator manifest: " + e.getMessage(), e);
        }
        if (manifest.formatVersion() != FORMAT_VERSION) {
            throw new ModelFormatException(path + " has bundle format version " + manifest.formatVersion()
                    + "; this build reads version " + FORMAT_VERSION);
        }
        if (!TASK.equals(manifest.task())) {
            throw new ModelFormatException(path + " is a '" + manifest.task() + "' model, not a " + TASK);
        }
        if (manifest.architecture() == null) {
            throw new ModelFormatException(path + " has no architecture");
        }
        return manifest;
    }
}
