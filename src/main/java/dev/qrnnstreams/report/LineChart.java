package dev.qrnnstreams.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Line charts drawn with java.awt into a PNG file: one or more panels stacked vertically, each with
 * its own y axis, ticks, grid and legend. Needs no display ({@code java.awt.headless} may be set).
 *
 * @param title the title over the first panel
 * @param panels the panels, top to bottom
 */
public record LineChart(String title, List<Panel> panels) {
    private static final int WIDTH = 720;
    private static final int PANEL_HEIGHT = 300;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 45;
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e)};

    /** Copies the list. */
    public LineChart {
        Objects.requireNonNull(title, "title");
        panels = List.copyOf(panels);
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("a chart needs a panel");
        }
    }

    /**
     * One panel.
     *
     * @param xLabel the x axis label
     * @param yLabel the y axis label
     * @param series the lines
     */
    public record Panel(String xLabel, String yLabel, List<Series> series) {
        /** Copies the list. */
        public Panel {
            series = List.copyOf(series);
            if (series.isEmpty() || series.stream().allMatch(s -> s.x().length == 0)) {
                throw new IllegalArgumentException("a panel needs a series with points");
            }
        }
    }

    /**
     * One line: points joined in order, each marked.
     *
     * @param name the legend entry
     * @param x x values
     * @param y y values, as many as x
     */
    public record Series(String name, double[] x, double[] y) {
        /** Checks the lengths. */
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException(x.length + " x values but " + y.length + " y values");
            }
        }
    }

    /** Draws the chart into {@code file} as a PNG. */
    public void writePng(Path file) throws IOException {
        int height = panels.size() * PANEL_HEIGHT;
        PngCanvas.write(WIDTH, height, g -> {
            for (int p = 0; p < panels.size(); p++) {
                draw(g, panels.get(p), p * PANEL_HEIGHT, p == 0 ? title : "");
            }
        }, file);
    }

    private static void draw(Graphics2D g, Panel panel, int top, String heading) {
        double[] xr = range(panel, true);
        double[] yr = range(panel, false);
        int x0 = LEFT;
        int x1 = WIDTH - RIGHT;
        int y0 = top + PANEL_HEIGHT - BOTTOM;
        int y1 = top + TOP;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setColor(Color.BLACK);
        g.drawString(heading, LEFT, top + 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        FontMetrics metrics = g.getFontMetrics();
        for (double tick : ticks(yr[0], yr[1])) {
            int y = (int) Math.round(scale(tick, yr, y0, y1));
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(x0, y, x1, y);
            g.setColor(Color.BLACK);
            String label = format(tick);
            g.drawString(label, x0 - 6 - metrics.stringWidth(label), y + 4);
        }
        boolean wholeX = panel.series().stream().flatMapToDouble(series -> Arrays.stream(series.x()))
                .allMatch(v -> v == Math.rint(v));
        for (double tick : ticks(xr[0], xr[1])) {
            if (wholeX && tick != Math.rint(tick)) {
                continue;
            }
            int x = (int) Math.round(scale(tick, xr, x0, x1));
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(x, y0, x, y1);
            g.setColor(Color.BLACK);
            String label = format(tick);
            g.drawString(label, x - metrics.stringWidth(label) / 2, y0 + 15);
        }
        g.setColor(Color.BLACK);
        g.drawRect(x0, y1, x1 - x0, y0 - y1);
        g.drawString(panel.xLabel(), (x0 + x1 - metrics.stringWidth(panel.xLabel())) / 2, y0 + 32);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(panel.yLabel(), -(y0 + y1 + metrics.stringWidth(panel.yLabel())) / 2, 16);
        rotated.dispose();
        int legendY = y1 + 16;
        for (int s = 0; s < panel.series().size(); s++) {
            Series series = panel.series().get(s);
            Color colour = COLOURS[s % COLOURS.length];
            g.setColor(colour);
            g.setStroke(new BasicStroke(2f));
            int previousX = 0;
            int previousY = 0;
            for (int i = 0; i < series.x().length; i++) {
                int x = (int) Math.round(scale(series.x()[i], xr, x0, x1));
                int y = (int) Math.round(scale(series.y()[i], yr, y0, y1));
                if (i > 0) {
                    g.drawLine(previousX, previousY, x, y);
                }
                g.fillOval(x - 3, y - 3, 7, 7);
                previousX = x;
                previousY = y;
            }
            g.setStroke(new BasicStroke(1f));
            int legendX = x1 - 10 - metrics.stringWidth(series.name()) - 24;
            g.drawLine(legendX, legendY - 4, legendX + 18, legendY - 4);
            g.setColor(Color.BLACK);
            g.drawString(series.name(), legendX + 24, legendY);
            legendY += 15;
        }
    }

    private static double[] range(Panel panel, boolean xAxis) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series series : panel.series()) {
            for (double v : xAxis ? series.x() : series.y()) {
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (!(max > min)) {
            double pad = Double.isFinite(min) && min != 0 ? Math.abs(min) * 0.1 : 1;
            min = Double.isFinite(min) ? min - pad : 0;
            max = Double.isFinite(max) ? max + pad : 1;
        }
        double margin = xAxis ? 0 : (max - min) * 0.08;
        return new double[] {min - margin, max + margin};
    }

    private static double scale(double v, double[] range, int from, int to) {
        return from + (v - range[0]) / (range[1] - range[0]) * (to - from);
    }

    /** Round tick values covering [min, max], about five of them. */
    static double[] ticks(double min, double max) {
        double raw = (max - min) / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = magnitude * (raw / magnitude < 1.5 ? 1 : raw / magnitude < 3.5 ? 2 : raw / magnitude < 7.5 ? 5
                : 10);
        long first = (long) Math.ceil(min / step - 1e-9);
        long last = (long) Math.floor(max / step + 1e-9);
        double[] ticks = new double[(int) Math.max(0, last - first + 1)];
        for (int i = 0; i < ticks.length; i++) {
            ticks[i] = (first + i) * step;
        }
        return ticks;
    }

    private static String format(double v) {
        if (Math.abs(v - Math.rint(v)) < 1e-9) {
            return String.format(Locale.ROOT, "%d", (long) Math.rint(v));
        }
        String text = String.format(Locale.ROOT, "%.4f", v);
        return text.replaceAll("0+$", "");
    }
}
