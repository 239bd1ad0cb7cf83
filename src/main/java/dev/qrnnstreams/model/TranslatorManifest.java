package dev.qrnnstreams.model;

import dev.qrnnstreams.nn.translate.TranslatorSpec;
import java.util.Map;

/**
 * The {@code manifest.json} of a translator bundle: the same fields as a classifier's
 * {@link ModelManifest} with the translator's architecture in place of the classifier's.
 *
 * @param formatVersion the bundle format version ({@link TranslatorBundle#FORMAT_VERSION})
 * @param name the model's name, as routes and records refer to it
 * @param version the model's version, recorded in every output and in per-key state
 * @param task {@value TranslatorBundle#TASK}
 * @param architecture the shapes and training regularisation of the translator
 * @param data where the training data came from, its split and its terms of use
 * @param metrics measured quality, for example {@code val_bleu}, and the search settings it was measured with
 * @param training how it was trained: the command, the wall time, the tokens per second
 * @param files SHA-256 (hex) of each file of the bundle other than the manifest
 */
public record TranslatorManifest(int formatVersion, String name, String version, String task,
                                 TranslatorSpec architecture, Map<String, String> data, Map<String, Double> metrics,
                                 Map<String, String> training, Map<String, String> files) {

    /** Copies the maps. */
    public TranslatorManifest {
        data = Map.copyOf(data);
        metrics = Map.copyOf(metrics);
        training = Map.copyOf(training);
        files = Map.copyOf(files);
    }

    /** A copy with other file checksums. */
    public TranslatorManifest withFiles(Map<String, String> newFiles) {
        return new TranslatorManifest(formatVersion, name, version, task, architecture, data, metrics, training,
                newFiles);
    }
}
