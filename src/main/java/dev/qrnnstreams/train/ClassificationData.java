package dev.qrnnstreams.train;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Labelled texts ready to train on: the training and dev sets, the class names in label order, and the
 * provenance a model's manifest records.
 *
 * @param id a short name of the data, for messages
 * @param split the training and dev texts
 * @param labels the class names; a text's label is an index into them
 * @param provenance where the data came from, how the dev set was made, and its terms
 * @param key identifies the data and its split, so a checkpoint resumes only a run on the same data
 */
public record ClassificationData(String id, LabelledText.Split split, List<String> labels,
                                 Map<String, String> provenance, String key) {
    /** Copies the collections and checks that there are at least two classes. */
    public ClassificationData {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(key, "key");
        labels = List.copyOf(labels);
        provenance = Map.copyOf(provenance);
        if (labels.size() < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, the data has " + labels);
        }
    }
}
