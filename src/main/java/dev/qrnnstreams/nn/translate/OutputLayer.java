package dev.qrnnstreams.nn.translate;

import dev.qrnnstreams.nn.kernel.VectorKernels;

/** The translator's output layer: attentional hidden rows to target-vocabulary logits. */
public final class OutputLayer {

    private OutputLayer() {
    }

    /** {@code hidden W_out + b_out} for {@code rows} rows of {@code hidden}: {@code rows x targetVocabularySize}. */
    public static float[] logits(QrnnTranslator translator, float[] hidden, int rows) {
        int v = translator.spec().targetVocabularySize();
        float[] logits = new float[Math.multiplyExact(rows, v)];
        if (rows > 0) {
            VectorKernels.matmul(hidden, rows, translator.outputWeights(), logits);
        }
        float[] bias = translator.tensor("output.bias");
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < v; c++) {
                logits[r * v + c] += bias[c];
            }
        }
        return logits;
    }

    /** Turns each of {@code rows} rows of {@code width} logits into log-probabilities, in place. */
    public static void logSoftmaxRows(float[] values, int rows, int width) {
        for (int r = 0; r < rows; r++) {
            int from = r * width;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = from; i < from + width; i++) {
                max = Math.max(max, values[i]);
            }
            double sum = 0;
            for (int i = from; i < from + width; i++) {
                sum += Math.exp(values[i] - max);
            }
            float log = (float) (max + Math.log(sum));
            for (int i = from; i < from + width; i++) {
                values[i] -= log;
            }
        }
    }
}
