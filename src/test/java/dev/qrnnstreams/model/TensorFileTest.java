package dev.qrnnstreams.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Guards the documented little-endian layout of the weights file. */
class TensorFileTest {
    @TempDir
    Path directory;

    @Test
    void shouldWriteTheDocumentedLayoutAndReadItBack() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", new Tensor(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
        tensors.put("b", new Tensor(new int[] {1}, new float[] {-0.5f}));
        Path file = directory.resolve("weights.bin");

        TensorFile.write(tensors, file);

        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(Arrays.copyOf(bytes.array(), 4))).isEqualTo("QRNW");
        assertThat(bytes.getInt(4)).isEqualTo(1);
        assertThat(bytes.getInt(8)).isEqualTo(2);
        assertThat(bytes.getShort(12)).isEqualTo((short) 1);
        assertThat(bytes.get(14)).isEqualTo((byte) 'w');
        assertThat(bytes.get(15)).isEqualTo((byte) 2);
        assertThat(bytes.getInt(16)).isEqualTo(2);
        assertThat(bytes.getInt(20)).isEqualTo(3);
        assertThat(bytes.getFloat(24)).isEqualTo(1f);
        assertThat(TensorFile.read(file)).containsExactlyEntriesOf(tensors);
    }

    @Test
    void shouldRejectTruncatedAndForeignFiles() throws IOException {
        Path file = directory.resolve("weights.bin");
        TensorFile.write(Map.of("w", new Tensor(new int[] {4}, new float[4])), file);
        byte[] whole = Files.readAllBytes(file);
        for (int length = 0; length < whole.length; length++) {
            Files.write(file, Arrays.copyOf(whole, length));
            assertThatThrownBy(() -> TensorFile.read(file)).as("truncated to %d bytes", length)
                    .isInstanceOf(ModelFormatException.class);
        }
        Files.write(file, "not weights".getBytes());
        assertThatThrownBy(() -> TensorFile.read(file)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("bad magic");
    }
}
