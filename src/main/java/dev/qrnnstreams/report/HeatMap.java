package dev.qrnnstreams.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A confusion-matrix heat map drawn with java.awt into a PNG file, in the style of {@link LineChart}: one
 * cell per (row, column) pair holding its count, shaded from white to blue by the count's share of its
 * row (so each row reads as where the texts of one true class went), row and column labels, and a title.
 * Needs no display.
 *
 * @param title the title over the grid
 * @param rowAxis what the rows are (for example "true class")
 * @param columnAxis what the columns are (for example "predicted class")
 * @param labels the row and column names, in order
 * @param counts {@code counts[row][column]}, square, one row per label
 */
public record HeatMap(String title, String rowAxis, String columnAxis, List<String> labels, long[][] counts) {
    private static final int CELL = 64;
    private static final int MARGIN = 20;
    private static final int TITLE = 40;
    private static final Color HIGH = new Color(0x1f77b4);

    /** Copies the inputs and checks the shape. */
    public HeatMap {
        Objects.requireNonNull(title, "title");
        labels = List.copyOf(labels);
        if (labels.isEmpty() || counts.length != labels.size()) {
            throw new IllegalArgumentException("need one row per label: " + counts.length + " rows, "
                    + labels.size() + " labels");
        }
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            if (counts[i].length != labels.size()) {
                throw new IllegalArgumentException("row " + i + " has " + counts[i].length + " cells");
            }
            copy[i] = counts[i].clone();
        }
        counts = copy;
    }

    /** Draws the heat map into {@code file} as a PNG. */
    public void writePng(Path file) throws IOException {
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D measure = probe.createGraphics();
        measure.setFont(labelFont());
        FontMetrics metrics = measure.getFontMetrics();
        int labelWidth = labels.stream().mapToInt(metrics::stringWidth).max().orElse(0);
        measure.dispose();
        int n = labels.size();
        int left = MARGIN + 20 + labelWidth + 8;
        int top = TITLE + 20 + labelWidth + 8;
        int width = Math.max(left + n * CELL + MARGIN, 360);
        int height = top + n * CELL + MARGIN;
        PngCanvas.write(width, height, g -> {
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(title, MARGIN, 24);
            drawAxes(g, left, top, labelWidth);
            drawCells(g, left, top);
        }, file);
    }

    private void drawAxes(Graphics2D g, int left, int top, int labelWidth) {
        g.setFont(labelFont());
        FontMetrics metrics = g.getFontMetrics();
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i);
            g.drawString(label, left - 8 - metrics.stringWidth(label), top + i * CELL + CELL / 2 + 4);
            AffineTransform saved = g.getTransform();
            g.translate(left + i * CELL + CELL / 2 + 4, top - 8);
            g.rotate(-Math.PI / 2);
            g.drawString(label, 0, 0);
            g.setTransform(saved);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, 11));
        g.drawString(columnAxis, left, TITLE + 10);
        AffineTransform saved = g.getTransform();
        g.translate(MARGIN + 10, top + labels.size() * CELL);
        g.rotate(-Math.PI / 2);
        g.drawString(rowAxis, 0, 0);
        g.setTransform(saved);
    }

    private void drawCells(Graphics2D g, int left, int top) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics metrics = g.getFontMetrics();
        for (int r = 0; r < labels.size(); r++) {
            long rowTotal = 0;
            for (long count : counts[r]) {
                rowTotal += count;
            }
            for (int c = 0; c < labels.size(); c++) {
                double share = rowTotal == 0 ? 0 : (double) counts[r][c] / rowTotal;
                int x = left + c * CELL;
                int y = top + r * CELL;
                g.setColor(blend(share));
                g.fillRect(x, y, CELL, CELL);
                g.setColor(new Color(0xe0e0e0));
                g.drawRect(x, y, CELL, CELL);
                g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
                String text = Long.toString(counts[r][c]);
                g.drawString(text, x + (CELL - metrics.stringWidth(text)) / 2, y + CELL / 2 + 5);
            }
        }
    }

    private static Color blend(double share) {
        return new Color(mix(255, HIGH.getRed(), share), mix(255, HIGH.getGreen(), share),
                mix(255, HIGH.getBlue(), share));
    }

    private static int mix(int from, int to, double share) {
        return (int) Math.round(from + (to - from) * share);
    }

    private static Font labelFont() {
        return new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    }
}
