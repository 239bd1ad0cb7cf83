package dev.qrnnstreams.nn.translate;

/**
 * The decoder's dot-product attention over the encoder's outputs (Bradbury et al. 2017, section 3.1),
 * shared by the inference decoder and the training pass.
 */
public final class Attention {

    private Attention() {
    }

    /**
     * Dot-product attention of each cell {@code c_t} (row {@code t + 1} of {@code cells}, whose row 0 is
     * {@code c_0}) over {@code memory}: writes alpha ({@code t x s}) and {@code [k_t; c_t]} ({@code t x 2h}).
     */
    public static void attend(float[] cells, int h, float[] memory, int s, int t, float[] attention, float[] attended) {
        for (int row = 0; row < t; row++) {
            int c = (row + 1) * h;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < s; j++) {
                float score = 0f;
                for (int u = 0; u < h; u++) {
                    score = Math.fma(cells[c + u], memory[j * h + u], score);
                }
                attention[row * s + j] = score;
                max = Math.max(max, score);
            }
            double sum = 0;
            for (int j = 0; j < s; j++) {
                double e = Math.exp(attention[row * s + j] - max);
                attention[row * s + j] = (float) e;
                sum += e;
            }
            int a = row * 2 * h;
            for (int j = 0; j < s; j++) {
                float alpha = (float) (attention[row * s + j] / sum);
                attention[row * s + j] = alpha;
                for (int u = 0; u < h; u++) {
                    attended[a + u] = Math.fma(alpha, memory[j * h + u], attended[a + u]);
                }
            }
            System.arraycopy(cells, c, attended, a + h, h);
        }
    }
}
