package dev.qrnnstreams.nn.grad;

import dev.qrnnstreams.nn.translate.TranslatorSpec;

import dev.qrnnstreams.nn.translate.QrnnTranslator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An independent float64 reference of the QRNN encoder-decoder's teacher-forced pass, written as plain
 * loops from Bradbury et al. 2017, section 3.3 and the layout {@link TranslatorSpec} documents. It calls
 * no production code: parameters are read from the tensor map by name.
 * <pre>
 *   encoder layer L: a_t = [x_{t-k+1}; ...; x_t] W_L + b_L, z = tanh, f, o = sigmoid,
 *                    f = p + (1 - p) f (zoneout, expected value), c_t = f c_{t-1} + (1 - f) z, h_t = o c_t
 *   decoder layer L: the same with b_L + h~_L V_L as the bias, h~_L = encoder layer L's last h
 *   last decoder layer: alpha_st = softmax_s(c_t . h~_s), k_t = sum_s alpha_st h~_s,
 *                    h_t = o_t * (k_t W_k + c_t W_c)
 *   logits_t = h_t W_out + b_out
 * </pre>
 */
final class Float64Translator {

    private Float64Translator() {
    }

    /** Float64 copies of a translator's tensors. */
    static Map<String, double[]> tensors(QrnnTranslator translator) {
        Map<String, double[]> copies = new LinkedHashMap<>();
        translator.tensors().forEach((name, values) -> {
            double[] copy = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                copy[i] = values[i];
            }
            copies.put(name, copy);
        });
        return copies;
    }

    /** The logits of every target input position: {@code T x targetVocabularySize}. */
    static double[][] logits(TranslatorSpec spec, Map<String, double[]> p, int[] source, int[] targetInput) {
        int h = spec.hiddenSize();
        int layers = spec.layers();
        double[][] x = embed(p.get("source.embedding"), spec.embeddingSize(), source);
        double[][] finals = new double[layers][];
        for (int l = 0; l < layers; l++) {
            double[][][] run = layer(spec, p.get("encoder." + l + ".weights"), p.get("encoder." + l + ".bias"), x);
            x = run[1];
            finals[l] = x[x.length - 1];
        }
        double[][] memory = x;
        double[][] y = embed(p.get("target.embedding"), spec.embeddingSize(), targetInput);
        double[][][] run = null;
        for (int l = 0; l < layers; l++) {
            double[] bias = p.get("decoder." + l + ".bias").clone();
            double[] v = p.get("decoder." + l + ".encoderProjection");
            for (int i = 0; i < h; i++) {
                for (int g = 0; g < bias.length; g++) {
                    bias[g] += finals[l][i] * v[i * bias.length + g];
                }
            }
            run = layer(spec, p.get("decoder." + l + ".weights"), bias, y);
            y = run[1];
        }
        double[][] cells = run[0];
        double[][] gatesO = run[2];
        double[] wkc = p.get("attention.output");
        double[] wOut = p.get("output.weights");
        double[] bOut = p.get("output.bias");
        int vocabulary = spec.targetVocabularySize();
        double[][] logits = new double[targetInput.length][vocabulary];
        for (int t = 0; t < targetInput.length; t++) {
            double[] scores = new double[memory.length];
            double max = Double.NEGATIVE_INFINITY;
            for (int s = 0; s < memory.length; s++) {
                for (int u = 0; u < h; u++) {
                    scores[s] += cells[t][u] * memory[s][u];
                }
                max = Math.max(max, scores[s]);
            }
            double sum = 0;
            for (int s = 0; s < memory.length; s++) {
                scores[s] = Math.exp(scores[s] - max);
                sum += scores[s];
            }
            double[] kc = new double[2 * h];
            for (int s = 0; s < memory.length; s++) {
                for (int u = 0; u < h; u++) {
                    kc[u] += scores[s] / sum * memory[s][u];
                }
            }
            System.arraycopy(cells[t], 0, kc, h, h);
            double[] out = new double[h];
            for (int u = 0; u < h; u++) {
                double mixed = 0;
                for (int i = 0; i < 2 * h; i++) {
                    mixed += kc[i] * wkc[i * h + u];
                }
                out[u] = gatesO[t][u] * mixed;
            }
            for (int c = 0; c < vocabulary; c++) {
                double logit = bOut[c];
                for (int u = 0; u < h; u++) {
                    logit += out[u] * wOut[u * vocabulary + c];
                }
                logits[t][c] = logit;
            }
        }
        return logits;
    }

    /**
     * The mean over target positions of the cross-entropy against labels smoothed by {@code epsilon}:
     * {@code (1 - epsilon) (-log p_label) + epsilon * mean_c (-log p_c)}.
     */
    static double loss(TranslatorSpec spec, Map<String, double[]> p, int[] source, int[] targetInput, int[] labels,
                       double epsilon) {
        double[][] logits = logits(spec, p, source, targetInput);
        double total = 0;
        for (int t = 0; t < logits.length; t++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double logit : logits[t]) {
                max = Math.max(max, logit);
            }
            double sum = 0;
            for (double logit : logits[t]) {
                sum += Math.exp(logit - max);
            }
            double logZ = max + Math.log(sum);
            double uniform = 0;
            for (double logit : logits[t]) {
                uniform += (logZ - logit) / logits[t].length;
            }
            total += (1 - epsilon) * (logZ - logits[t][labels[t]]) + epsilon * uniform;
        }
        return total / logits.length;
    }

    private static double[][] embed(double[] table, int width, int[] tokens) {
        double[][] rows = new double[tokens.length][width];
        for (int t = 0; t < tokens.length; t++) {
            System.arraycopy(table, tokens[t] * width, rows[t], 0, width);
        }
        return rows;
    }

    /** One fo-pooling layer from the zero state: {cells, outputs, output gates}, each {@code T x h}. */
    private static double[][][] layer(TranslatorSpec spec, double[] w, double[] b, double[][] x) {
        int h = spec.hiddenSize();
        int k = spec.window();
        int in = x[0].length;
        double p = spec.zoneout();
        double[][] cells = new double[x.length][h];
        double[][] outputs = new double[x.length][h];
        double[][] gates = new double[x.length][h];
        double[] c = new double[h];
        for (int t = 0; t < x.length; t++) {
            double[] a = b.clone();
            for (int tap = 0; tap < k; tap++) {
                int source = t - (k - 1) + tap;
                if (source < 0) {
                    continue;
                }
                for (int i = 0; i < in; i++) {
                    for (int col = 0; col < 3 * h; col++) {
                        a[col] += x[source][i] * w[(tap * in + i) * 3 * h + col];
                    }
                }
            }
            for (int u = 0; u < h; u++) {
                double z = Math.tanh(a[u]);
                double f = p + (1 - p) / (1 + Math.exp(-a[h + u]));
                double o = 1 / (1 + Math.exp(-a[2 * h + u]));
                c[u] = f * c[u] + (1 - f) * z;
                cells[t][u] = c[u];
                gates[t][u] = o;
                outputs[t][u] = o * c[u];
            }
        }
        return new double[][][] {cells, outputs, gates};
    }
}
