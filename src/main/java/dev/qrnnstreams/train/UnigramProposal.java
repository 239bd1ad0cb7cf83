package dev.qrnnstreams.train;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The proposal distribution of a sampled softmax: token frequencies in the training sequences, add-one
 * smoothed and raised to a power (0.75 flattens them, as in word2vec's negative sampling), so that frequent
 * tokens are drawn often and none has probability 0. Immutable.
 */
public final class UnigramProposal {
    private final double[] cumulative;
    private final double[] probabilities;

    /** The proposal over ids {@code [0, vocabularySize)} from the ids in {@code sequences}. */
    public UnigramProposal(int vocabularySize, List<int[]> sequences, double power) {
        if (!(power >= 0 && power <= 1)) {
            throw new IllegalArgumentException("power must be in [0, 1], was " + power);
        }
        long[] counts = new long[vocabularySize];
        for (int[] sequence : sequences) {
            for (int id : sequence) {
                counts[id]++;
            }
        }
        probabilities = new double[vocabularySize];
        double total = 0;
        for (int c = 0; c < vocabularySize; c++) {
            probabilities[c] = Math.pow(counts[c] + 1, power);
            total += probabilities[c];
        }
        cumulative = new double[vocabularySize];
        double running = 0;
        for (int c = 0; c < vocabularySize; c++) {
            probabilities[c] /= total;
            running += probabilities[c];
            cumulative[c] = running;
        }
    }

    /** {@code n} ids drawn independently, with replacement. */
    public int[] draw(int n, RandomGenerator random) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble() * cumulative[cumulative.length - 1];
            int at = Arrays.binarySearch(cumulative, u);
            ids[i] = Math.min(at >= 0 ? at : -at - 1, cumulative.length - 1);
        }
        return ids;
    }

    /** {@code log(n q_c)} for every id c: the log of its expected number among {@code n} draws. */
    public float[] logExpectedCounts(int n) {
        float[] logs = new float[probabilities.length];
        for (int c = 0; c < logs.length; c++) {
            logs[c] = (float) Math.log(n * probabilities[c]);
        }
        return logs;
    }

    /** The probability of drawing {@code id}. */
    public double probability(int id) {
        return probabilities[id];
    }
}
