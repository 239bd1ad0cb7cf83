package dev.qrnnstreams.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The heat map writes a PNG that reads back, and rejects counts of the wrong shape. */
class HeatMapTest {
    @TempDir
    Path directory;

    @Test
    void shouldWriteAValidPngWithOneCellPerPair() throws IOException {
        Path file = directory.resolve("sub/confusion.png");

        new HeatMap("test: confusion", "true class", "predicted class", List.of("ABBR", "DESC", "HUM"),
                new long[][] {{5, 1, 0}, {2, 40, 3}, {0, 0, 12}}).writePng(file);

        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isGreaterThanOrEqualTo(3 * 64);
        assertThat(image.getHeight()).isGreaterThanOrEqualTo(3 * 64);
    }

    @Test
    void shouldRejectCountsThatAreNotOneRowPerLabel() {
        assertThatThrownBy(() -> new HeatMap("t", "r", "c", List.of("a", "b"), new long[][] {{1, 2}}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
