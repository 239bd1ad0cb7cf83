package dev.qrnnstreams.streams;

import dev.qrnnstreams.inference.StreamingClassifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the {@code TopologyTestDriver} tests of one small sentiment classifier share: the model, served
 * as {@code sentiment} and the default, a record key, a state directory, and the fixture, closed after
 * each test.
 */
abstract class SentimentTopologyTest {
    static final StreamingClassifier MODEL = TrainedTestModel.classifier("1");
    static final ModelCatalog CATALOG =
            ModelCatalog.builder().classifier("sentiment", MODEL).defaultModel("sentiment").build();
    static final byte[] KEY = "key".getBytes(StandardCharsets.UTF_8);
    @TempDir
    Path stateDir;
    TopologyFixture fixture;

    @AfterEach
    void closeDriver() {
        if (fixture != null) {
            fixture.close();
        }
    }
}
