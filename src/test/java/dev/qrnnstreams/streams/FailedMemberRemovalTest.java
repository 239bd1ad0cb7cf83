package dev.qrnnstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The static member of a failed thread is named as Kafka Streams names its threads' consumers:
 * {@code <group.instance.id>-<thread number>}, the number read from the thread's name.
 */
class FailedMemberRemovalTest {
    @Test
    void shouldNameTheMemberOfAStreamThreadByItsNumber() {
        assertThat(FailedMemberRemoval.memberOf("qrnn-streams-1f0c6a2e-9b1d-4c7e-8f00-3a2b1c0d9e8f-StreamThread-3",
                "host-0123456789ab")).hasValue("host-0123456789ab-3");
        assertThat(FailedMemberRemoval.memberOf("app-StreamThread-12", "id")).hasValue("id-12");
    }

    @Test
    void shouldNameNoMemberForOtherThreads() {
        assertThat(FailedMemberRemoval.memberOf("app-GlobalStreamThread", "id")).isEmpty();
        assertThat(FailedMemberRemoval.memberOf("app-StreamThread-3-producer", "id")).isEmpty();
        assertThat(FailedMemberRemoval.memberOf("main", "id")).isEmpty();
    }
}
