package dev.qrnnstreams.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the tests find the shared data sets: {@code ../shared/data} from the project root, or the
 * directory named by the system property {@code qrnn.data.dir}.
 */
final class SharedData {
    private SharedData() {
    }

    static Path directory() {
        return Path.of(System.getProperty("qrnn.data.dir", "../shared/data"));
    }

    static boolean has(String file) {
        return Files.isRegularFile(directory().resolve(file));
    }

    static String missing(String file) {
        return directory().resolve(file).toAbsolutePath() + " is absent (see shared/data/README.md); skipped";
    }
}
