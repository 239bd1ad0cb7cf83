package dev.qrnnstreams.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Guards the chart: a readable PNG of the expected size with the series drawn, and round ticks. */
class LineChartTest {
    @TempDir
    Path directory;

    @Test
    void shouldWriteAPngWithOnePanelPerRowAndTheSeriesInColour() throws IOException {
        System.setProperty("java.awt.headless", "true");
        LineChart chart = new LineChart("curve", List.of(
                new LineChart.Panel("epoch", "loss", List.of(new LineChart.Series("loss", new double[] {1, 2, 3},
                        new double[] {0.7, 0.5, 0.45}))),
                new LineChart.Panel("epoch", "accuracy", List.of(new LineChart.Series("dev", new double[] {1, 2, 3},
                        new double[] {0.8, 0.84, 0.85})))));
        Path file = directory.resolve("sub/curve.png");

        chart.writePng(file);

        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image.getWidth()).isEqualTo(720);
        assertThat(image.getHeight()).isEqualTo(600);
        int blue = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                blue += (image.getRGB(x, y) & 0xffffff) == 0x1f77b4 ? 1 : 0;
            }
        }
        assertThat(blue).as("pixels of the first series' colour").isGreaterThan(100);
    }

    @Test
    void shouldPlaceRoundTicksInsideTheRange() {
        assertThat(LineChart.ticks(0.78, 0.87)).containsExactly(new double[] {0.78, 0.8, 0.82, 0.84, 0.86},
                within(1e-12));
        assertThat(LineChart.ticks(1, 10)).containsExactly(2, 4, 6, 8, 10);
        assertThat(LineChart.ticks(0, 100)).containsExactly(0, 20, 40, 60, 80, 100);
    }

    @Test
    void shouldRejectASeriesWithMismatchedLengths() {
        assertThatThrownBy(() -> new LineChart.Series("x", new double[2], new double[3]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
