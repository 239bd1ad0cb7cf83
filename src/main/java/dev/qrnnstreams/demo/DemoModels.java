package dev.qrnnstreams.demo;

import dev.qrnnstreams.model.BundleTask;
import dev.qrnnstreams.model.ClassifierBundle;
import dev.qrnnstreams.model.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The bundles that {@code qrnn.models} names, sorted into the classifiers and translators that are on disk
 * and the ones that are not. The demo serves the ones on disk and feeds reviews to the classifiers and
 * German text to a translator.
 *
 * @param classifiers classifier bundles on disk, by model name, with their manifests
 * @param translators bundles of any other task on disk, by model name
 * @param absent configured bundles whose directory holds no manifest, by model name
 * @param served the bundles on disk, by model name: what the service loads
 */
public record DemoModels(Map<String, ModelManifest> classifiers, Map<String, Path> translators,
                         Map<String, Path> absent, Map<String, Path> served) {
    private static final String MANIFEST = "manifest.json";

    /** Copies the maps. */
    public DemoModels {
        classifiers = Map.copyOf(classifiers);
        translators = Map.copyOf(translators);
        absent = Map.copyOf(absent);
        served = Map.copyOf(served);
    }

    /**
     * Sorts the configured bundles.
     *
     * @throws IOException if a bundle's manifest cannot be read or a classifier fails its checks
     * @throws IllegalStateException if no classifier bundle is on disk
     */
    public static DemoModels of(Map<String, Path> configured) throws IOException {
        Map<String, ModelManifest> classifiers = new LinkedHashMap<>();
        Map<String, Path> translators = new LinkedHashMap<>();
        Map<String, Path> absent = new LinkedHashMap<>();
        Map<String, Path> served = new LinkedHashMap<>();
        for (Map.Entry<String, Path> model : configured.entrySet()) {
            Path directory = model.getValue();
            if (!Files.isRegularFile(directory.resolve(MANIFEST))) {
                absent.put(model.getKey(), directory);
                continue;
            }
            served.put(model.getKey(), directory);
            if (ClassifierBundle.TASK.equals(BundleTask.of(directory))) {
                classifiers.put(model.getKey(), ClassifierBundle.read(directory).manifest());
            } else {
                translators.put(model.getKey(), directory);
            }
        }
        if (classifiers.isEmpty()) {
            throw new IllegalStateException("no classifier bundle on disk among qrnn.models " + configured
                    + "; train one (README, Models) or name one with --set qrnn.models=name=directory");
        }
        return new DemoModels(classifiers, translators, absent, served);
    }

    /** The served models as a {@code qrnn.models} value. */
    public String modelsSetting() {
        return served.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    /** The classifier names in a fixed order; reviews are dealt to them in turn. */
    public List<String> classifierNames() {
        return classifiers.keySet().stream().sorted().toList();
    }

    /** The translator the German sentences go to, if one is on disk. */
    public Optional<String> translator() {
        return translators.keySet().stream().sorted().findFirst();
    }

    /**
     * The IMDb dev split a classifier's manifest records (data set {@code imdb} with {@code dev_fraction}
     * and {@code split_seed}), so the demo's reviews are texts that model was not trained on.
     */
    public Optional<DevSplit> imdbDevSplit() {
        List<DevSplit> splits = new ArrayList<>();
        classifiers.values().forEach(manifest -> {
            Map<String, String> data = manifest.data();
            if ("imdb".equals(data.get("dataset")) && data.containsKey("dev_fraction")
                    && data.containsKey("split_seed")) {
                splits.add(new DevSplit(Double.parseDouble(data.get("dev_fraction")),
                        Long.parseLong(data.get("split_seed"))));
            }
        });
        return splits.stream().findFirst();
    }

    /** The one line that says what is served and what is missing. */
    public String describe() {
        StringBuilder line = new StringBuilder("models: classifiers " + classifierNames());
        translator().ifPresent(name -> line.append(", translator ").append(name));
        if (!absent.isEmpty()) {
            line.append("; absent: ").append(absent);
        }
        if (translator().isEmpty()) {
            line.append("; no translator bundle on disk, so classification only");
        }
        return line.toString();
    }

    /**
     * A dev split of a training file.
     *
     * @param fraction the share of texts held out
     * @param seed the shuffle seed
     */
    public record DevSplit(double fraction, long seed) {
    }
}
