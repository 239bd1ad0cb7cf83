package dev.qrnnstreams.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Guards the checkpoint file: a round trip keeps every field, and damaged files fail clearly. */
class TrainingCheckpointTest {
    @TempDir
    Path directory;

    @Test
    void shouldReadBackEveryFieldAndReplaceAnEarlierCheckpoint() throws IOException {
        Path file = directory.resolve("checkpoint.bin");
        checkpoint(1).write(file);
        TrainingCheckpoint written = checkpoint(2);
        written.write(file);

        TrainingCheckpoint read = TrainingCheckpoint.read(file);

        assertThat(read.settingsKey()).isEqualTo("key");
        assertThat(read.epoch()).isEqualTo(2);
        assertThat(read.nextBatch()).isEqualTo(17);
        assertThat(read.epochLossSum()).isEqualTo(3.25);
        assertThat(read.epochTokens()).isEqualTo(12_345_678_901L);
        assertThat(read.epochSeconds()).isEqualTo(1.5);
        assertThat(read.totalSeconds()).isEqualTo(99.5);
        assertThat(read.finished()).isEqualTo(written.finished());
        assertThat(read.parameters()).hasSize(2);
        assertThat(read.parameters().get(0)).containsExactly(1f, -2f, Float.MIN_VALUE);
        assertThat(read.parameters().get(1)).isEmpty();
        assertThat(read.optimiser().steps()).isEqualTo(41);
        assertThat(read.optimiser().slots().get(0)).containsExactly(0.5f);
        assertThat(Files.list(directory)).containsExactly(file);
    }

    @Test
    void shouldFailOnATruncatedOrForeignFile() throws IOException {
        Path file = directory.resolve("checkpoint.bin");
        checkpoint(1).write(file);
        byte[] bytes = Files.readAllBytes(file);
        Path truncated = Files.write(directory.resolve("truncated.bin"), Arrays.copyOf(bytes, bytes.length - 3));
        Path foreign = Files.writeString(directory.resolve("foreign.bin"), "not a checkpoint");

        assertThatThrownBy(() -> TrainingCheckpoint.read(truncated)).isInstanceOf(IOException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> TrainingCheckpoint.read(foreign)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a training checkpoint");
    }

    private static TrainingCheckpoint checkpoint(int epoch) {
        return new TrainingCheckpoint("key", epoch, 17, 3.25, 12_345_678_901L, 1.5, 99.5,
                List.of(new ClassifierTrainer.Epoch(1, 0.7, 1000.5, 0.81, 12.0)),
                List.of(new float[] {1f, -2f, Float.MIN_VALUE}, new float[0]),
                new Optimiser.State(41, List.of(new float[] {0.5f}, new float[0], new float[3], new float[0])));
    }
}
