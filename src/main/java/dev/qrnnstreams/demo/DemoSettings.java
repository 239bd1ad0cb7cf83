package dev.qrnnstreams.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What the demo feeds and how.
 *
 * @param reviews how many reviews to classify
 * @param sentences how many German sentences to translate, when a translator is served
 * @param keys how many keys (reviews or German documents) are open at a time, their messages interleaved
 * @param messagesPerSecond the pace of the feed; 0 sends as fast as the producer can
 * @param reviewsFile IMDb reviews ({@code id<TAB>label<TAB>rating<TAB>text}, gzip); the bundled sample when absent
 * @param sentencesFile German sentences, one per line (gzip if the name ends in {@code .gz}); the bundled
 *     sample when absent
 * @param registryHome the unpacked Apicurio Registry application
 * @param outputWait how long the demo waits for outstanding outputs once nothing new arrives
 * @param serviceSettings service settings ({@code qrnn.models} among them) given on the command line
 */
public record DemoSettings(int reviews, int sentences, int keys, int messagesPerSecond, Path reviewsFile,
                           Path sentencesFile, Path registryHome, Duration outputWait,
                           Map<String, String> serviceSettings) {

    /** Validates the fields. */
    public DemoSettings {
        if (reviews < 1 || sentences < 0 || keys < 1 || messagesPerSecond < 0) {
            throw new IllegalArgumentException("need reviews >= 1, sentences >= 0, keys >= 1 and a rate >= 0; got "
                    + reviews + ", " + sentences + ", " + keys + ", " + messagesPerSecond);
        }
        Objects.requireNonNull(reviewsFile, "reviewsFile");
        Objects.requireNonNull(sentencesFile, "sentencesFile");
        Objects.requireNonNull(registryHome, "registryHome");
        if (outputWait.isNegative() || outputWait.isZero()) {
            throw new IllegalArgumentException("outputWait must be positive, was " + outputWait);
        }
        serviceSettings = Map.copyOf(serviceSettings);
    }
}
