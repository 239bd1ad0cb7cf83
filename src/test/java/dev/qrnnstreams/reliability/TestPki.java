package dev.qrnnstreams.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway TLS material made at test time with the JDK's {@code keytool}: a self-signed certificate for
 * 127.0.0.1 in a PKCS12 keystore (the broker's and the registry proxy's) and a truststore holding that
 * certificate (the clients'), each with a random password. Nothing is committed.
 *
 * @param keystore the server keystore
 * @param truststore the client truststore
 * @param password the password of both stores and of the key
 */
record TestPki(Path keystore, Path truststore, String password) {
    /** Makes the stores in {@code directory}. */
    static TestPki create(Path directory) {
        String password = UUID.randomUUID().toString();
        Path keystore = directory.resolve("server.p12");
        Path certificate = directory.resolve("server.pem");
        Path truststore = directory.resolve("truststore.p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", password, "-keypass", password);
        keytool("-exportcert", "-alias", "server", "-rfc", "-keystore", keystore.toString(), "-storepass", password,
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "server", "-file", certificate.toString(), "-storetype",
                "PKCS12", "-keystore", truststore.toString(), "-storepass", password);
        return new TestPki(keystore, truststore, password);
    }

    private static void keytool(String... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString()));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
