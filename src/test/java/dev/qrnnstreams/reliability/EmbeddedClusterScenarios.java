package dev.qrnnstreams.reliability;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the scenario classes on the plain embedded cluster share: one {@link Cluster#embedded()} broker and
 * registry for the class, and a fresh working directory per test.
 */
abstract class EmbeddedClusterScenarios {
    static Cluster cluster;
    @TempDir
    Path work;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.embedded();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }
}
