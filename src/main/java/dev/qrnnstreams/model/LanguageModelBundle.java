package dev.qrnnstreams.model;

import dev.qrnnstreams.nn.LinearSoftmaxHead;
import dev.qrnnstreams.nn.QrnnStack;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A trained causal QRNN language model as a directory, in the layout of an embedding
 * {@link ClassifierBundle} (manifest, {@code weights.bin}, {@code tokenizer.txt}, the same checksums and
 * format versions) with the task {@value #TASK}, no labels in its architecture, and a head over the
 * vocabulary: {@code head.weight} is {@code hiddenSize x vocabularySize}, the output after token t giving
 * the logits of token t + 1. Its tokenizer, embedding and stack can start a classifier.
 *
 * @param manifest what the model is
 * @param input the tokenizer and embedding
 * @param stack the QRNN layers
 * @param output the softmax layer over the vocabulary
 */
public record LanguageModelBundle(ModelManifest manifest, ClassifierInput.Embedded input, QrnnStack stack,
                                  LinearSoftmaxHead output) {
    /** The task name of a language-model bundle. */
    public static final String TASK = "language-model";

    /** Validates that the parts fit together and that the manifest names this task. */
    public LanguageModelBundle {
        Objects.requireNonNull(manifest, "manifest");
        if (!TASK.equals(manifest.task()) || output.classes() != input.embedding().vocabularySize()) {
            throw new IllegalArgumentException("a language model's manifest names the task " + TASK
                    + " and its output covers the vocabulary");
        }
        new ClassifierBundle(manifest, input, stack, output);
    }

    /** Writes the bundle into {@code directory}; returns the manifest as written, with its checksums. */
    public ModelManifest write(Path directory) throws IOException {
        return new ClassifierBundle(manifest, input, stack, output).write(directory);
    }

    /**
     * Reads and checks the bundle in {@code directory}.
     *
     * @throws ModelFormatException as {@link ClassifierBundle#read}, or if the bundle is not a language model
     */
    public static LanguageModelBundle read(Path directory) throws IOException {
        ClassifierBundle bundle = ClassifierBundle.read(directory, TASK);
        if (!(bundle.input() instanceof ClassifierInput.Embedded embedded)) {
            throw new ModelFormatException(directory + ": a language model has an embedding input");
        }
        return new LanguageModelBundle(bundle.manifest(), embedded, bundle.stack(), bundle.head());
    }
}
