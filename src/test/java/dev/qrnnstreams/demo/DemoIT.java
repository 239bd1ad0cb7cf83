package dev.qrnnstreams.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.qrnnstreams.avro.ErrorKind;
import dev.qrnnstreams.embedded.EmbeddedSchemaRegistry;
import dev.qrnnstreams.embedded.ListeningSockets;
import dev.qrnnstreams.streams.TrainedTestModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo end to end on the bundled sample with a model the tests train: every record is answered, each
 * bad record gets its dead letter, and after the demo returns nothing it started is left: no registry
 * process, no listening port, no temporary directory.
 */
class DemoIT {
    private static final int REVIEWS = 12;
    @TempDir
    Path work;

    @Test
    void shouldAnswerEveryRecordAndLeaveNothingBehindWhenTheDemoEnds() throws Exception {
        Path bundle = work.resolve("model");
        TrainedTestModel.bundle().write(bundle);
        long self = ProcessHandle.current().pid();
        List<InetSocketAddress> listeningBefore = ListeningSockets.available() ? ListeningSockets.of(self) : List.of();
        DemoSettings settings = new DemoSettings(REVIEWS, 0, 8, 0, work.resolve("absent-reviews.tsv.gz"),
                work.resolve("absent-sentences.txt"), Path.of(System.getProperty(EmbeddedSchemaRegistry.HOME_PROPERTY)),
                Duration.ofSeconds(90), Map.of("qrnn.models", "sentiment=" + bundle, "qrnn.default.model", "sentiment"));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        DemoReport report = new Demo(settings, new PrintStream(printed, true, StandardCharsets.UTF_8), false).run();

        assertThat(report.finished()).as(printed.toString(StandardCharsets.UTF_8)).isTrue();
        assertThat(report.deadLetters()).containsOnly(entry(ErrorKind.DESERIALIZATION, 1L),
                entry(ErrorKind.UNKNOWN_SCHEMA, 1L), entry(ErrorKind.EMPTY_TEXT, 1L),
                entry(ErrorKind.TEXT_TOO_LARGE, 1L), entry(ErrorKind.INVALID_CHARACTERS, 1L),
                entry(ErrorKind.UNKNOWN_MODEL, 1L), entry(ErrorKind.MISSING_KEY, 1L));
        assertThat(report.classifications()).isEqualTo(report.stats().sent() - 7);
        assertThat(report.stats().accuracy().get("sentiment").reviews()).isEqualTo(REVIEWS);
        assertThat(report.stats().latency().samples()).isEqualTo((int) report.classifications());
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("classification only", "bundled sample");

        assertThat(report.leftovers()).isEmpty();
        long registryPid = report.footprint().registryPid().orElseThrow();
        assertThat(ProcessHandle.of(registryPid).filter(ProcessHandle::isAlive)).as("registry process").isEmpty();
        assertThat(report.footprint().endpoints()).hasSize(3).noneMatch(DemoIT::accepts);
        assertThat(report.footprint().directories()).hasSize(3).noneMatch(Files::exists);
        if (ListeningSockets.available()) {
            assertThat(ListeningSockets.of(self)).as("ports this JVM listens on").isSubsetOf(listeningBefore);
        }
        assertThat(report.summary()).contains("shutdown      clean");
    }

    private static boolean accepts(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 1_000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
