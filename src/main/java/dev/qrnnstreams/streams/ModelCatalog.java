package dev.qrnnstreams.streams;

import dev.qrnnstreams.inference.DecodingSettings;
import dev.qrnnstreams.inference.StreamingClassifier;
import dev.qrnnstreams.inference.Translator;
import dev.qrnnstreams.model.BundleTask;
import dev.qrnnstreams.model.ClassifierBundle;
import dev.qrnnstreams.model.ModelFormatException;
import dev.qrnnstreams.model.TranslatorBundle;
import dev.qrnnstreams.nn.QrnnBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The models a service instance serves, by the names that {@code TextEvent.model} uses, and the model
 * that serves events naming none: classifiers, whose outputs go to the classifications topic, and
 * translators, whose outputs go to the translations topic. Immutable and shared by all stream threads;
 * each task gets its own {@link ModelRoute}s.
 */
public final class ModelCatalog {
    private final Map<String, StreamingClassifier> classifiers;
    private final Map<String, TranslatorBundle> translators;
    private final Map<String, DecodingSettings> decodings;
    private final String defaultModel;

    private ModelCatalog(Builder builder) {
        this.classifiers = Map.copyOf(builder.classifiers);
        this.translators = Map.copyOf(builder.translators);
        this.decodings = Map.copyOf(builder.decodings);
        this.defaultModel = builder.defaultModel;
    }

    /**
     * Loads and checks every bundle of {@code bundles} (name to directory; the manifest says whether it
     * is a classifier or a translator), serving events that name no model with {@code defaultModel}; each
     * translator searches with the settings its manifest records, changed by {@code overrides}.
     *
     * @throws IOException if a bundle cannot be read, fails its checks or is of an unknown task
     */
    public static ModelCatalog load(Map<String, Path> bundles, String defaultModel,
                                    UnaryOperator<DecodingSettings> overrides) throws IOException {
        Builder builder = builder().defaultModel(defaultModel);
        for (Map.Entry<String, Path> bundle : bundles.entrySet()) {
            String task = BundleTask.of(bundle.getValue());
            if (ClassifierBundle.TASK.equals(task)) {
                builder.classifier(bundle.getKey(), StreamingClassifier.load(bundle.getValue()));
            } else if (TranslatorBundle.TASK.equals(task)) {
                TranslatorBundle translator = TranslatorBundle.read(bundle.getValue());
                builder.translator(bundle.getKey(), translator,
                        overrides.apply(DecodingSettings.recordedIn(translator.manifest().metrics())));
            } else {
                throw new ModelFormatException(bundle.getValue() + " is a '" + task + "' model; this service runs "
                        + ClassifierBundle.TASK + " and " + TranslatorBundle.TASK + " models");
            }
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
        Set<String> names = new LinkedHashSet<>(classifiers.keySet());
        names.addAll(translators.keySet());
        return names;
    }

    /** The model of events that name none. */
    public String defaultModel() {
        return defaultModel;
    }

    /**
     * One route per served model, stepping on {@code backend}: for one task's processor. A translator
     * ends a key's segment past {@code segmentMaxTokens} source tokens or {@code segmentMaxChars} characters.
     */
    Map<String, ModelRoute> routes(QrnnBackend backend, int segmentMaxTokens, int segmentMaxChars,
                                   ProcessorMetrics metrics, Clock clock) {
        Map<String, ModelRoute> routes = new LinkedHashMap<>();
        classifiers.forEach((name, classifier) ->
                routes.put(name, new ClassifierRoute(name, classifier, backend, metrics, clock)));
        translators.forEach((name, bundle) -> routes.put(name, new TranslatorRoute(name, bundle.manifest().version(),
                new Translator(bundle.translator(), bundle.sourceTokenizer(), bundle.targetTokenizer(),
                        decodings.get(name), backend), state -> state.fits(bundle.translator().encoder()),
                segmentMaxTokens, segmentMaxChars, metrics)));
        return routes;
    }

    /** Collects the models; {@link #build} checks that the default is one of them. */
    public static final class Builder {
        private final Map<String, StreamingClassifier> classifiers = new LinkedHashMap<>();
        private final Map<String, TranslatorBundle> translators = new LinkedHashMap<>();
        private final Map<String, DecodingSettings> decodings = new LinkedHashMap<>();
        private String defaultModel;

        private Builder() {
        }

        /** Serves {@code classifier} as {@code name}. */
        public Builder classifier(String name, StreamingClassifier classifier) {
            requireNewName(name);
            classifiers.put(name, Objects.requireNonNull(classifier, "classifier"));
            return this;
        }

        /** Serves the translator of {@code bundle} as {@code name}, searching as its manifest records. */
        public Builder translator(String name, TranslatorBundle bundle) {
            return translator(name, bundle, DecodingSettings.recordedIn(bundle.manifest().metrics()));
        }

        /** Serves the translator of {@code bundle} as {@code name}, searching with {@code decoding}. */
        public Builder translator(String name, TranslatorBundle bundle, DecodingSettings decoding) {
            requireNewName(name);
            translators.put(name, Objects.requireNonNull(bundle, "bundle"));
            decodings.put(name, Objects.requireNonNull(decoding, "decoding"));
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
            if (defaultModel == null
                    || !classifiers.containsKey(defaultModel) && !translators.containsKey(defaultModel)) {
                throw new IllegalStateException("the default model '" + defaultModel + "' is not one of "
                        + classifiers.keySet() + " or " + translators.keySet());
            }
            return new ModelCatalog(this);
        }

        private void requireNewName(String name) {
            requireName(name);
            if (classifiers.containsKey(name) || translators.containsKey(name)) {
                throw new IllegalArgumentException("two models are named '" + name + "'");
            }
        }

        private static String requireName(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a model name must not be blank");
            }
            return name;
        }
    }
}
