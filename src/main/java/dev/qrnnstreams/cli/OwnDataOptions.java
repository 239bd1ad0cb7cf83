package dev.qrnnstreams.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * What a user says about their own training text ({@code --train}), recorded in the model's manifest: a short
 * name, the source and the terms of use. Shared by {@code train classifier} and {@code train lm} (mixed in with
 * picocli's {@code @Mixin}).
 */
public final class OwnDataOptions {
    @Option(names = "--data-terms",
            description = "With --train: the data's terms of use, recorded in the manifest. Default: not stated.")
    private String dataTerms;

    @Option(names = "--data-source",
            description = "With --train: where the data comes from (and what to cite), recorded in the manifest. "
                    + "Default: the training file's name.")
    private String dataSource;

    @Option(names = "--data-name",
            description = "With --train: a short name of the data, recorded in the manifest and naming the model. "
                    + "Default: own.")
    private String dataName;

    /** The data's short name, {@code own} when not given. */
    public String name() {
        return dataName == null ? "own" : dataName;
    }

    /** The given name, source and terms under the manifest's keys {@code dataset}, {@code source} and {@code terms}. */
    public Map<String, String> about() {
        Map<String, String> about = new LinkedHashMap<>();
        putIfGiven(about, "dataset", dataName);
        putIfGiven(about, "source", dataSource);
        putIfGiven(about, "terms", dataTerms);
        return about;
    }

    private static void putIfGiven(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
