package dev.qrnnstreams.streams;

import dev.qrnnstreams.streams.serde.RegistryAccessDeniedException;
import dev.qrnnstreams.streams.serde.RegistryException;
import dev.qrnnstreams.streams.serde.SchemaRegistry;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema registry check an instance runs before its streams start: one call with the configured URL
 * and credentials. Credentials the registry refuses (HTTP 401 or 403) fail the start at once, with a
 * message that names the settings to check and never their values; a registry that cannot be reached is
 * only logged, since the stream threads wait out registry outages as they do later.
 */
final class RegistryStartupCheck {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryStartupCheck.class);

    private RegistryStartupCheck() {
    }

    /**
     * Checks {@code registry}, reached at {@code urls} with the client settings {@code clientConfig}.
     *
     * @throws RegistryAccessDeniedException if the registry refuses the credentials or permissions
     */
    static void run(SchemaRegistry registry, List<String> urls, Map<String, ?> clientConfig) {
        List<String> shown = urls.stream().map(RegistryStartupCheck::withoutUserInfo).toList();
        try {
            registry.checkAccess();
            LOG.info("The schema registry at {} accepts this instance's credentials", shown);
        } catch (RegistryAccessDeniedException e) {
            throw new RegistryAccessDeniedException("The schema registry at " + shown + " refused this instance's "
                    + "credentials or permissions (" + e.getMessage() + "); check " + credentialSettings(clientConfig),
                    e);
        } catch (RegistryException e) {
            LOG.warn("The schema registry at {} cannot be reached ({}); starting anyway: records wait until it can",
                    shown, e.getMessage());
        }
    }

    /** The settings that hold the registry credentials under {@code clientConfig}'s credential source. */
    static String credentialSettings(Map<String, ?> clientConfig) {
        if (clientConfig.containsKey("bearer.auth.credentials.source")) {
            return "schema.registry.bearer.auth.credentials.source and the schema.registry.bearer.auth.* settings";
        }
        Object source = clientConfig.get("basic.auth.credentials.source");
        if (source != null && "URL".equals(source.toString().toUpperCase(Locale.ROOT))) {
            return "the user info of " + ServiceConfig.SCHEMA_REGISTRY_URL_CONFIG;
        }
        return "schema.registry.basic.auth.user.info and schema.registry.basic.auth.credentials.source";
    }

    private static String withoutUserInfo(String url) {
        try {
            URI uri = new URI(url);
            return uri.getUserInfo() == null ? url : new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(),
                    uri.getPath(), uri.getQuery(), uri.getFragment()).toString();
        } catch (URISyntaxException e) {
            return "(an unparsable URL)";
        }
    }
}
