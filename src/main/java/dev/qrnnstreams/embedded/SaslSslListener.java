package dev.qrnnstreams.embedded;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A broker listener that requires TLS and SASL/SCRAM-SHA-512, for tests of clients that must
 * authenticate: the broker's PKCS12 keystore (key and certificate for 127.0.0.1) and the one SCRAM user
 * the broker knows.
 *
 * @param keystore the broker's PKCS12 keystore
 * @param keystorePassword the password of the keystore and of its key
 * @param user the SCRAM user name
 * @param password the SCRAM user's password
 */
public record SaslSslListener(Path keystore, String keystorePassword, String user, String password) {
    /** The SASL mechanism the listener accepts. */
    public static final String MECHANISM = "SCRAM-SHA-512";

    /** Checks that every part is present. */
    public SaslSslListener {
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(keystorePassword, "keystorePassword");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    /** The user's credential in the form of the storage tool's {@code --add-scram} argument. */
    String scramCredential() {
        return MECHANISM + "=[name=" + user + ",password=" + password + "]";
    }

    /** The user name and keystore only: the passwords stay out of logs. */
    @Override
    public String toString() {
        return "SaslSslListener[keystore=" + keystore + ", user=" + user + "]";
    }
}
