package dev.qrnnstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrnnstreams.streams.serde.RegistryAccessDeniedException;
import dev.qrnnstreams.streams.serde.RegistryException;
import java.io.IOException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class ThreadFailurePolicyTest {
    @Test
    void shouldReplaceTheThreadWhenTheFailureIsTransient() {
        assertThat(ThreadFailurePolicy.respond(new StreamsException(new TimeoutException("broker away"))))
                .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(ThreadFailurePolicy.respond(new StreamsException(new RegistryException("registry away",
                new IOException("connection refused"))))).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    @Test
    void shouldStopWhenTheBrokerRefusesTheCredentials() {
        assertThat(ThreadFailurePolicy.respond(new StreamsException(new SaslAuthenticationException("invalid"))))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(ThreadFailurePolicy.respond(new StreamsException(new TopicAuthorizationException("denied"))))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void shouldStopWhenTheRegistryRefusesTheCredentials() {
        assertThat(ThreadFailurePolicy.respond(new StreamsException(new RegistryAccessDeniedException("401",
                new IOException("Unauthorized"))))).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void shouldStopWhenAnotherInstanceTakesTheSameInstanceId() {
        assertThat(ThreadFailurePolicy.respond(new StreamsException(new FencedInstanceIdException("fenced"))))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }
}
