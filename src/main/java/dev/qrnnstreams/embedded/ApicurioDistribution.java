package dev.qrnnstreams.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The unpacked Apicurio Registry application ({@code io.apicurio:apicurio-registry-app:<version>:tar.gz:all}):
 * a directory with {@code apicurio-registry-app-<version>-runner.jar} and the {@code lib/} it names on
 * its class path.
 */
record ApicurioDistribution(Path runnerJar) {
    private static final String RUNNER_JAR_GLOB = "apicurio-registry-app-*-runner.jar";
    private static final String UNPACK_HINT = "`mvn verify` unpacks it into target/apicurio and passes that to the"
            + " integration tests; elsewhere run `mvn -DskipTests pre-integration-test` once and pass -D"
            + EmbeddedSchemaRegistry.HOME_PROPERTY + "=<project>/target/apicurio";

    /** The application in the directory named by the {@value EmbeddedSchemaRegistry#HOME_PROPERTY} system property. */
    static ApicurioDistribution fromSystemProperty() {
        String home = System.getProperty(EmbeddedSchemaRegistry.HOME_PROPERTY);
        if (home == null || home.isBlank()) {
            throw new IllegalStateException("system property " + EmbeddedSchemaRegistry.HOME_PROPERTY
                    + " is not set; it names the directory of the unpacked Apicurio Registry. " + UNPACK_HINT);
        }
        return in(Path.of(home));
    }

    /**
     * The application unpacked in {@code home}, which must hold exactly one runner jar; the jar's path is
     * absolute, since the registry runs in a directory of its own.
     */
    static ApicurioDistribution in(Path home) {
        if (!Files.isDirectory(home)) {
            throw new IllegalStateException("no Apicurio Registry at " + home + " (not a directory). " + UNPACK_HINT);
        }
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> matches = Files.newDirectoryStream(home, RUNNER_JAR_GLOB)) {
            matches.forEach(jars::add);
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + home, e);
        }
        if (jars.size() != 1) {
            throw new IllegalStateException("expected one " + RUNNER_JAR_GLOB + " in " + home + ", found " + jars
                    + ". " + UNPACK_HINT);
        }
        return new ApicurioDistribution(jars.get(0).toAbsolutePath());
    }
}
