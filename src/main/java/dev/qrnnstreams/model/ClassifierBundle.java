package dev.qrnnstreams.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.qrnnstreams.nn.DenseBottleneck;
import dev.qrnnstreams.nn.EmbeddingTable;
import dev.qrnnstreams.nn.LinearSoftmaxHead;
import dev.qrnnstreams.nn.QrnnLayer;
import dev.qrnnstreams.nn.QrnnStack;
import dev.qrnnstreams.nn.QrnnStackSpec;
import dev.qrnnstreams.nn.Readout;
import dev.qrnnstreams.text.TokenizerFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A trained QRNN text classifier as a directory: {@code manifest.json}, {@code weights.bin}
 * ({@link TensorFile}: the input's tensors, then {@code layer.<l>.weight}, {@code layer.<l>.bias},
 * {@code head.weight}, {@code head.bias}, in the layouts of {@link QrnnLayer} and {@link LinearSoftmaxHead})
 * and the input's files.
 *
 * <p>An embedding model ({@link ClassifierInput.Embedded}) stores the tensor {@code embedding}
 * ({@link EmbeddingTable}) and {@code tokenizer.txt} ({@link TokenizerFormat}); a projection model
 * ({@link ClassifierInput.Projected}) stores {@code bottleneck.weight} and {@code bottleneck.bias}
 * ({@link DenseBottleneck}) and no other file, its hashing settings being in the manifest's architecture.
 *
 * <p>Format versions: 1 has embedding models only; 2 adds the projection models and the architecture's
 * {@code projection} field. This build writes version 2 and reads both. Reading checks the format
 * version, the task, the SHA-256 of every file and every tensor's shape, and fails with
 * {@link ModelFormatException} naming what does not match.
 *
 * @param manifest what the model is; its file checksums are filled in by {@link #write}
 * @param input what turns text into the stack's input rows
 * @param stack the QRNN layers
 * @param head the softmax head
 */
public record ClassifierBundle(ModelManifest manifest, ClassifierInput input, QrnnStack stack,
                               LinearSoftmaxHead head) {
    /** The bundle format version this build writes. */
    public static final int FORMAT_VERSION = 2;
    /** The oldest bundle format version this build reads. */
    public static final int OLDEST_FORMAT_VERSION = 1;
    /** The task name of a classifier bundle. */
    public static final String TASK = "classifier";
    static final String MANIFEST = "manifest.json";
    static final String WEIGHTS = "weights.bin";
    static final String TOKENIZER = "tokenizer.txt";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** Validates that the parts fit together. */
    public ClassifierBundle {
        Objects.requireNonNull(manifest, "manifest");
        Readout readout = manifest.architecture().readout();
        if (input.width() != stack.inputSize() || head.inputSize() != readout.width(stack.outputSize())) {
            throw new IllegalArgumentException("input width " + input.width() + ", stack " + stack.spec()
                    + ", readout " + readout + " and head input " + head.inputSize() + " do not fit together");
        }
    }

    /** What the head reads from a key's state. */
    public Readout readout() {
        return manifest.architecture().readout();
    }

    /** The number of trained values: the input's (embedding, or bottleneck), the stack's and the head's. */
    public long parameterCount() {
        long count = 0;
        for (Tensor tensor : tensors().values()) {
            count += tensor.values().length;
        }
        return count;
    }

    /** The files of the bundle besides the manifest. */
    private List<String> files() {
        return input instanceof ClassifierInput.Embedded ? List.of(WEIGHTS, TOKENIZER) : List.of(WEIGHTS);
    }

    /**
     * Writes the bundle into {@code directory} (created if needed), with the checksums of the files
     * written.
     *
     * @return the manifest as written
     */
    public ModelManifest write(Path directory) throws IOException {
        Files.createDirectories(directory);
        TensorFile.write(tensors(), directory.resolve(WEIGHTS));
        if (input instanceof ClassifierInput.Embedded embedded) {
            TokenizerFormat.write(embedded.tokenizer(), directory.resolve(TOKENIZER));
        }
        Map<String, String> files = new TreeMap<>();
        for (String file : files()) {
            files.put(file, sha256(directory.resolve(file)));
        }
        ModelManifest written = manifest.withFiles(files);
        JSON.writeValue(directory.resolve(MANIFEST).toFile(), written);
        return written;
    }

    /**
     * Reads and checks the bundle in {@code directory}.
     *
     * @throws ModelFormatException if the bundle is of another version or task, a file is missing or
     *     does not match its checksum, or a tensor has the wrong shape
     */
    public static ClassifierBundle read(Path directory) throws IOException {
        return read(directory, TASK);
    }

    /**
     * Reads a bundle of this layout whose manifest names {@code task}: a classifier's, whose head has one
     * output per label, or a language model's ({@link LanguageModelBundle}), whose head has one per token id.
     */
    static ClassifierBundle read(Path directory, String task) throws IOException {
        ModelManifest manifest = readManifest(directory.resolve(MANIFEST), task);
        boolean projected = manifest.architecture().usesProjection();
        for (String file : projected ? List.of(WEIGHTS) : List.of(WEIGHTS, TOKENIZER)) {
            String expected = manifest.files().get(file);
            Path path = directory.resolve(file);
            if (expected == null || !Files.exists(path)) {
                throw new ModelFormatException(directory + ": " + file + " is missing from the bundle or its manifest");
            }
            String actual = sha256(path);
            if (!actual.equals(expected)) {
                throw new ModelFormatException(path + " has SHA-256 " + actual + " but the manifest says " + expected);
            }
        }
        Map<String, Tensor> tensors = TensorFile.read(directory.resolve(WEIGHTS));
        try {
            ClassifierInput input = projected ? projected(manifest.architecture(), tensors)
                    : new ClassifierInput.Embedded(new EmbeddingTable(manifest.architecture().vocabularySize(),
                            manifest.architecture().embeddingSize(), tensor(tensors, "embedding").values()),
                            TokenizerFormat.read(directory.resolve(TOKENIZER)));
            return fromTensors(manifest, tensors, input);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(directory + " does not match its manifest: " + e.getMessage(), e);
        }
    }

    private static ModelManifest readManifest(Path path, String task) throws IOException {
        if (!Files.exists(path)) {
            throw new ModelFormatException(path + " is missing");
        }
        ModelManifest manifest;
        try {
            manifest = JSON.readValue(path.toFile(), ModelManifest.class);
        } catch (IOException e) {
            throw new ModelFormatException(path + " is not a valid manifest: " + e.getMessage(), e);
        }
        if (manifest.formatVersion() < OLDEST_FORMAT_VERSION || manifest.formatVersion() > FORMAT_VERSION) {
            throw new ModelFormatException(path + " has bundle format version " + manifest.formatVersion()
                    + "; this build reads versions " + OLDEST_FORMAT_VERSION + " to " + FORMAT_VERSION);
        }
        if (manifest.formatVersion() < 2 && manifest.architecture().usesProjection()) {
            throw new ModelFormatException(path + ": a projection model needs bundle format version 2");
        }
        if (!task.equals(manifest.task())) {
            throw new ModelFormatException(path + " is a '" + manifest.task() + "' model, not a " + task);
        }
        return manifest;
    }

    private Map<String, Tensor> tensors() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        if (input instanceof ClassifierInput.Embedded embedded) {
            EmbeddingTable embedding = embedded.embedding();
            tensors.put("embedding", new Tensor(new int[] {embedding.vocabularySize(), embedding.dimension()},
                    embedding.vectors()));
        } else {
            DenseBottleneck bottleneck = ((ClassifierInput.Projected) input).bottleneck();
            tensors.put("bottleneck.weight", new Tensor(new int[] {bottleneck.inputSize(), bottleneck.outputSize()},
                    bottleneck.weights()));
            tensors.put("bottleneck.bias", new Tensor(new int[] {bottleneck.outputSize()}, bottleneck.bias()));
        }
        for (int l = 0; l < stack.layers().size(); l++) {
            QrnnLayer layer = stack.layer(l);
            tensors.put("layer." + l + ".weight", new Tensor(new int[] {layer.spec().convolutionRows(),
                layer.spec().convolutionColumns()}, layer.packedWeights()));
            tensors.put("layer." + l + ".bias", new Tensor(new int[] {layer.spec().convolutionColumns()}, layer.bias()));
        }
        tensors.put("head.weight", new Tensor(new int[] {head.inputSize(), head.classes()}, head.weights()));
        tensors.put("head.bias", new Tensor(new int[] {head.classes()}, head.bias()));
        return tensors;
    }

    private static ClassifierInput.Projected projected(ClassifierArchitecture architecture,
                                                       Map<String, Tensor> tensors) throws ModelFormatException {
        ProjectionSpec spec = architecture.projection();
        return new ClassifierInput.Projected(spec, new DenseBottleneck(spec.features(), architecture.embeddingSize(),
                tensor(tensors, "bottleneck.weight").values(), tensor(tensors, "bottleneck.bias").values()));
    }

    private static ClassifierBundle fromTensors(ModelManifest manifest, Map<String, Tensor> tensors,
                                                ClassifierInput input) throws ModelFormatException {
        ClassifierArchitecture architecture = manifest.architecture();
        QrnnStackSpec spec = architecture.stackSpec();
        List<QrnnLayer> layers = new ArrayList<>();
        for (int l = 0; l < spec.layers(); l++) {
            layers.add(new QrnnLayer(spec.layerSpecs().get(l), tensor(tensors, "layer." + l + ".weight").values(),
                    tensor(tensors, "layer." + l + ".bias").values()));
        }
        int outputs = TASK.equals(manifest.task()) ? architecture.labels().size() : architecture.vocabularySize();
        LinearSoftmaxHead head = new LinearSoftmaxHead(architecture.readout().width(architecture.hiddenSize()), outputs,
                tensor(tensors, "head.weight").values(), tensor(tensors, "head.bias").values());
        return new ClassifierBundle(manifest, input, new QrnnStack(spec, layers), head);
    }

    private static Tensor tensor(Map<String, Tensor> tensors, String name) throws ModelFormatException {
        Tensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new ModelFormatException("the weights file has no tensor '" + name + "'");
        }
        return tensor;
    }

    static String sha256(Path path) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
