package dev.qrnnstreams.streams;

import dev.qrnnstreams.streams.serde.RegistryAccessDeniedException;
import java.util.Optional;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the instance does when a stream thread fails. A transient failure (a broker or registry out of
 * reach) replaces the thread, which resumes from its last commit. A refusal of the instance's credentials
 * or permissions, by the broker or by the registry, cannot heal by retrying: the instance stops, with a
 * log line that says so and names the settings to check, so the process exits instead of retrying
 * forever. So does a second instance with this instance's {@code group.instance.id}: each would fence
 * the other in turn.
 */
final class ThreadFailurePolicy {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadFailurePolicy.class);

    private ThreadFailurePolicy() {
    }

    /** The response to {@code failure}, logged. */
    static StreamThreadExceptionResponse respond(Throwable failure) {
        Optional<Throwable> refusal = refusal(failure);
        if (refusal.isPresent()) {
            Throwable cause = refusal.get();
            if (cause instanceof FencedInstanceIdException) {
                LOG.error("Stopping: another instance joined with this instance's group.instance.id ({}); give "
                        + "each instance its own (unset, it is derived from the host name and state.dir), or set "
                        + "qrnn.static.membership=false", cause.getMessage());
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            String settings = cause instanceof RegistryAccessDeniedException
                    ? "schema.registry.basic.auth.user.info, schema.registry.basic.auth.credentials.source"
                    : "security.protocol, sasl.mechanism, sasl.jaas.config, ssl.*";
            LOG.error("Stopping: credentials or permissions refused ({}: {}); check {}",
                    cause.getClass().getSimpleName(), cause.getMessage(), settings);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        LOG.error("A stream thread failed; replacing it, to resume from its last commit", failure);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    private static Optional<Throwable> refusal(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof AuthenticationException || cause instanceof AuthorizationException
                    || cause instanceof RegistryAccessDeniedException || cause instanceof FencedInstanceIdException) {
                return Optional.of(cause);
            }
        }
        return Optional.empty();
    }
}
