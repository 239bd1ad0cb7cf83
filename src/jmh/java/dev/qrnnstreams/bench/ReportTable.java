package dev.qrnnstreams.bench;

import dev.qrnnstreams.nn.cpu.AdaptiveBackend;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/** Renders the measured rates as the report's markdown: the table, the targets, the bfloat16 figures. */
final class ReportTable {
    private static final double BATCHED_SGEMM_FRACTION = 0.5;
    private static final int BATCHED_TOKENS = 512;
    private static final double STEP_TOKENS_PER_SECOND = 40_000;
    private static final double LSTM_RATIO = 3;
    private static final String LSTM_RATIO_SHAPE = "8x64";
    private static final double DL4J_RATIO = 20;
    private static final String QRNN = "Qrnn|adaptive";
    private static final String QRNN_VECTOR = "Qrnn|vector";
    private static final String QRNN_ND4J = "Qrnn|nd4j";
    private static final String LSTM = "Lstm";
    private static final String DL4J = "Dl4j";

    private final Map<String, Double> opsPerSecond;
    private final StateCodecDrift drift;
    private final boolean quick;
    private final long seconds;
    private final StringBuilder out = new StringBuilder();

    ReportTable(Map<String, Double> opsPerSecond, StateCodecDrift drift, boolean quick, long seconds) {
        this.opsPerSecond = opsPerSecond;
        this.drift = drift;
        this.quick = quick;
        this.seconds = seconds;
    }

    String render() {
        double sgemmStart = sgemmGflops("SgemmStart", "square1024", 256);
        double sgemmMiddle = sgemmGflops("SgemmMiddle", "square1024", 256);
        double sgemmEnd = sgemmGflops("SgemmEnd", "square1024", 256);
        double sgemm = mean(sgemmStart, sgemmMiddle, sgemmEnd);

        line("## QRNN vs LSTM on the CPU: tokens per second" + (quick ? " (QUICK SMOKE RUN: not representative)" : ""));
        line("");
        line("Machine: " + Machine.describe() + ". Run time " + seconds / 60 + " min " + seconds % 60 + " s.");
        line("");
        line("Configuration: one QRNN layer, fo-pooling, window k = " + BenchmarkReport.WINDOW
                + ", h = d, float32, each sequence resumed from its carried state; the QRNN's convolution costs"
                + " 2 (k d)(3h) flops per token (" + flops(256) + " at d = 256, " + flops(512) + " at d = 512)."
                + " LSTM baseline: one layer, h = d, gates i, f, g, o, from the zero state, on the same kernels"
                + " (LstmBaseline.cpu()). DL4J: org.deeplearning4j.nn.conf.layers.LSTM alone in a MultiLayerNetwork,"
                + " output() over [batch, d, chunk] in float. tokens/s = calls/s x batch x chunk."
                + " GFLOP/s counts only the QRNN's convolution.");
        line("");
        line(String.format(Locale.ROOT,
                "sgemm (Nd4j.gemm, OpenBLAS, all cores) 1024 x 1024 x 1024: %.1f GFLOP/s at the start of the run,"
                        + " %.1f in the middle, %.1f at the end; the reference rate below is their mean, %.1f GFLOP/s.",
                sgemmStart, sgemmMiddle, sgemmEnd, sgemm));
        line("");
        line("| d | batch x chunk | QRNN (AdaptiveBackend.cpu) | path | QRNN vector | QRNN nd4j | LSTM baseline"
                + " | DL4J LSTM | QRNN GFLOP/s | % of sgemm 1024 | sgemm same shape GFLOP/s | % of same-shape sgemm"
                + " | QRNN / LSTM | QRNN / DL4J |");
        line("|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int d : BenchmarkReport.WIDTHS) {
            for (String shape : Shape.ALL) {
                double qrnn = tokensPerSecond(QRNN, shape, d);
                double lstm = tokensPerSecond(LSTM, shape, d);
                double dl4j = tokensPerSecond(DL4J, shape, d);
                double qrnnGflops = qrnn * BenchmarkReport.qrnnFlopsPerToken(d) / 1e9;
                double sameShape = sgemmGflops("Sgemm", shape, d);
                line("| " + d + " | " + shape
                        + " | " + rate(qrnn)
                        + " | " + BenchmarkReport.adaptivePath(Shape.parse(shape).tokens())
                        + " | " + rate(tokensPerSecond(QRNN_VECTOR, shape, d))
                        + " | " + rate(tokensPerSecond(QRNN_ND4J, shape, d))
                        + " | " + rate(lstm)
                        + " | " + rate(dl4j)
                        + " | " + number("%.1f", qrnnGflops)
                        + " | " + percent(qrnnGflops / sgemm)
                        + " | " + number("%.1f", sameShape)
                        + " | " + percent(qrnnGflops / sameShape)
                        + " | " + ratio(qrnn / lstm)
                        + " | " + ratio(qrnn / dl4j) + " |");
            }
        }
        line("");
        line("`path` is the CPU path AdaptiveBackend.cpu() takes by its rule: vector below "
                + AdaptiveBackend.DEFAULT_CPU_THRESHOLD + " timesteps per call, nd4j from there. The 1x1 row is the"
                + " streaming case: a 1-token step of one key with its state carried.");
        line("");
        targets(sgemm);
        bfloat16();
        return out.toString();
    }

    private void targets(double sgemm) {
        line("### Targets");
        line("");
        line("| target | d | shape | measured | result |");
        line("|---|---:|---|---:|---|");
        for (int d : BenchmarkReport.WIDTHS) {
            for (String shape : Shape.ALL) {
                if (Shape.parse(shape).tokens() >= BATCHED_TOKENS) {
                    double gflops = tokensPerSecond(QRNN, shape, d) * BenchmarkReport.qrnnFlopsPerToken(d) / 1e9;
                    double fraction = gflops / sgemm;
                    target("batched QRNN >= 50% of sgemm 1024 (>= 512 tokens/call)", d, shape, percent(fraction),
                            fraction >= BATCHED_SGEMM_FRACTION, fraction);
                }
            }
        }
        for (int d : BenchmarkReport.WIDTHS) {
            double step = tokensPerSecond(QRNN, "1x1", d);
            target("1-token step >= 40k tokens/s", d, "1x1", rate(step), step >= STEP_TOKENS_PER_SECOND, step);
        }
        for (int d : BenchmarkReport.WIDTHS) {
            double r = tokensPerSecond(QRNN, LSTM_RATIO_SHAPE, d) / tokensPerSecond(LSTM, LSTM_RATIO_SHAPE, d);
            target("QRNN >= 3x LSTM baseline", d, LSTM_RATIO_SHAPE, ratio(r), r >= LSTM_RATIO, r);
        }
        for (int d : BenchmarkReport.WIDTHS) {
            for (String shape : BenchmarkReport.DL4J_SHAPES) {
                double r = tokensPerSecond(QRNN, shape, d) / tokensPerSecond(DL4J, shape, d);
                target("QRNN >= 20x DL4J LSTM", d, shape, ratio(r), r >= DL4J_RATIO, r);
            }
        }
        line("");
    }

    private void target(String what, int d, String shape, String measured, boolean met, double value) {
        line("| " + what + " | " + d + " | " + shape + " | " + measured + " | "
                + (Double.isNaN(value) ? "n/a" : met ? "PASS" : "MISS") + " |");
    }

    private void bfloat16() {
        line("### bfloat16 state");
        line("");
        line(String.format(Locale.ROOT, "%,d random tokens (uniform in [-1, 1)), d = h = %d, %d-layer %s fo stack,"
                        + " k = %d, chunks of %d through AdaptiveBackend.cpu(): float32 state carried vs. the state"
                        + " re-encoded through QrnnStateCodec BFLOAT16 at every chunk boundary.",
                drift.tokens(), drift.spec().hiddenSize(), drift.spec().layers(),
                drift.spec().dense() ? "dense" : "plain", drift.spec().window(), drift.chunk()));
        line("");
        line("| max abs deviation | max abs / max abs output | L2 relative | max abs, last 100 tokens"
                + " | state bytes per key, float32 | state bytes per key, bfloat16 |");
        line("|---:|---:|---:|---:|---:|---:|");
        line(String.format(Locale.ROOT, "| %.3g | %.3g | %.3g | %.3g | %,d | %,d |", drift.maxAbs(),
                drift.relativeMax(), drift.relativeL2(), drift.maxAbsLast100(), drift.float32Bytes(),
                drift.bfloat16Bytes()));
        line("");
    }

    /** Tokens per second of a benchmark ({@code prefix} as the report keys it), or NaN if it did not run. */
    private double tokensPerSecond(String prefix, String shape, int d) {
        Double ops = opsPerSecond.get(BenchmarkReport.key(prefix, shape, Integer.toString(d)));
        return ops == null ? Double.NaN : ops * Shape.parse(shape).tokens();
    }

    private double sgemmGflops(String prefix, String shape, int d) {
        Double ops = opsPerSecond.get(BenchmarkReport.key(prefix, shape, Integer.toString(d)));
        return ops == null ? Double.NaN : ops * SgemmBenchmark.flops(shape, d) / 1e9;
    }

    private static double mean(double... values) {
        return Arrays.stream(values).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
    }

    private static String flops(int d) {
        return String.format(Locale.ROOT, "%,.0f", BenchmarkReport.qrnnFlopsPerToken(d));
    }

    static String rate(double tokensPerSecond) {
        if (Double.isNaN(tokensPerSecond)) {
            return "-";
        }
        if (tokensPerSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", tokensPerSecond / 1e6);
        }
        if (tokensPerSecond >= 1e4) {
            return String.format(Locale.ROOT, "%.0fk", tokensPerSecond / 1e3);
        }
        if (tokensPerSecond >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", tokensPerSecond / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", tokensPerSecond);
    }

    private static String number(String pattern, double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, pattern, value);
    }

    private static String percent(double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * fraction);
    }

    private static String ratio(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return String.format(Locale.ROOT, value >= 10 ? "%.0fx" : "%.1fx", value);
    }

    private void line(String text) {
        out.append(text).append('\n');
    }
}
