package dev.qrnnstreams.model;

import java.util.Map;

/**
 * The {@code manifest.json} of a model bundle: what the model is, how it was made and how good it is,
 * and a SHA-256 per file of the bundle.
 *
 * @param formatVersion the bundle format version ({@link ClassifierBundle#FORMAT_VERSION})
 * @param name the model's name, as routes and records refer to it
 * @param version the model's version, recorded in every output and in per-key state
 * @param task what the model does, for example {@code classifier}
 * @param architecture the shapes of the classifier
 * @param data where the training data came from, its split and its terms of use
 * @param metrics measured quality, for example {@code dev_accuracy}
 * @param training how it was trained: the command, the wall time, the tokens per second
 * @param files SHA-256 (hex) of each file of the bundle other than the manifest
 */
public record ModelManifest(int formatVersion, String name, String version, String task,
                            ClassifierArchitecture architecture, Map<String, String> data,
                            Map<String, Double> metrics, Map<String, String> training, Map<String, String> files) {

    /** Copies the maps. */
    public ModelManifest {
        data = Map.copyOf(data);
        metrics = Map.copyOf(metrics);
        training = Map.copyOf(training);
        files = Map.copyOf(files);
    }

    /** A copy with other file checksums. */
    public ModelManifest withFiles(Map<String, String> newFiles) {
        return new ModelManifest(formatVersion, name, version, task, architecture, data, metrics, training, newFiles);
    }
}
