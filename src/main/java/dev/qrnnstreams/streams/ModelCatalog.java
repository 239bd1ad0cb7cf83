package dev.qrnnstreams.streams;

import dev.qrnnstreams.inference.StreamingClassifier;
import dev.qrnnstreams.nn.QrnnBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The models a service instance serves, by the names that {@code TextEvent.model} uses, and the model
 * that serves events naming none. Immutable and shared by all stream threads.
 */
public final class ModelCatalog {
    private final Map<String, StreamingClassifier> classifiers;
    private final String defaultModel;

    private ModelCatalog(Map<String, StreamingClassifier> classifiers, String defaultModel) {
        this.classifiers = Map.copyOf(classifiers);
        this.defaultModel = defaultModel;
    }

    /**
     * Loads and checks every bundle of {@code bundles} (name to directory), serving events that name
     * no model with {@code defaultModel}.
     *
     * @throws IOException if a bundle cannot be read or fails its checks
     */
    public static ModelCatalog load(Map<String, Path> bundles, String defaultModel) throws IOException {
        Builder builder = builder().defaultModel(defaultModel);
        for (Map.Entry<String, Path> bundle : bundles.entrySet()) {
            builder.classifier(bundle.getKey(), StreamingClassifier.load(bundle.getValue()));
        }
        return builder.build();
    }

    /** A builder with no models. */
    public static Builder builder() {
        return new Builder();
    }

    /** The name serving {@code requested}: the requested name, or the default when it is null or blank. */
    public String resolve(String requested) {
        return requested == null || requested.isBlank() ? defaultModel : requested;
    }

    /** The classifier served as {@code name}, if any. */
    public Optional<StreamingClassifier> classifier(String name) {
        return Optional.ofNullable(classifiers.get(name));
    }

    /** Every served model name. */
    public Set<String> names() {
        return classifiers.keySet();
    }

    /** One route per served model, stepping on {@code backend}: for one task's processor. */
    Map<String, ModelRoute> routes(QrnnBackend backend, ProcessorMetrics metrics, Clock clock) {
        Map<String, ModelRoute> routes = new LinkedHashMap<>();
        classifiers.forEach((name, classifier) ->
                routes.put(name, new ClassifierRoute(name, classifier, backend, metrics, clock)));
        return routes;
    }

    /** The model of events that name none. */
    public String defaultModel() {
        return defaultModel;
    }

    /** Collects the models; {@link #build} checks that the default is one of them. */
    public static final class Builder {
        private final Map<String, StreamingClassifier> classifiers = new LinkedHashMap<>();
        private String defaultModel;

        private Builder() {
        }

        /** Serves {@code classifier} as {@code name}. */
        public Builder classifier(String name, StreamingClassifier classifier) {
            if (classifiers.putIfAbsent(requireName(name), Objects.requireNonNull(classifier, "classifier")) != null) {
                throw new IllegalArgumentException("two models are named '" + name + "'");
            }
            return this;
        }

        /** Serves events that name no model with {@code name}. */
        public Builder defaultModel(String name) {
            this.defaultModel = requireName(name);
            return this;
        }

        /**
         * The catalog.
         *
         * @throws IllegalStateException if no default is set or the default is not a served model
         */
        public ModelCatalog build() {
            if (defaultModel == null || !classifiers.containsKey(defaultModel)) {
                throw new IllegalStateException("the default model '" + defaultModel + "' is not one of "
                        + classifiers.keySet());
            }
            return new ModelCatalog(classifiers, defaultModel);
        }

        private static String requireName(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a model name must not be blank");
            }
            return name;
        }
    }
}
