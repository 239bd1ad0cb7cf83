package dev.qrnnstreams.inference;

import dev.qrnnstreams.nn.translate.QrnnTranslator;
import dev.qrnnstreams.nn.translate.TranslatorDecoder;
import dev.qrnnstreams.nn.translate.TranslatorMemory;
import dev.qrnnstreams.text.SpecialToken;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Beam search (greedy at width 1) over a {@link TranslatorDecoder}, for many sentences at once: the
 * live hypotheses of every sentence are the rows of one decoder batch, so each step is one batched
 * pass. Rules: {@link DecodingSettings}. Ties between equal scores go to the hypothesis found first
 * (lower row, then lower token id), so results are deterministic.
 */
final class BeamSearch {
    private static final int EOS = SpecialToken.EOS.id();
    private static final int BOS = SpecialToken.BOS.id();

    private BeamSearch() {
    }

    /** A hypothesis: its tokens (no BOS, EOS excluded) and its summed log-probability. */
    private record Hypothesis(int[] tokens, double score, int row) {
    }

    /** A finished hypothesis and its ranking score. */
    private record Finished(int[] tokens, double rank) {
    }

    /** The best token sequence (no BOS, no EOS) for each memory. */
    static List<int[]> search(QrnnTranslator translator, List<TranslatorMemory> memories, DecodingSettings settings) {
        int sentences = memories.size();
        List<List<Finished>> finished = new ArrayList<>();
        List<List<Hypothesis>> alive = new ArrayList<>();
        for (int i = 0; i < sentences; i++) {
            finished.add(new ArrayList<>());
            alive.add(new ArrayList<>(List.of(new Hypothesis(new int[0], 0.0, i))));
        }
        TranslatorDecoder decoder = sentences == 0 ? null : TranslatorDecoder.start(translator, memories);
        int[] lastTokens = new int[sentences];
        Arrays.fill(lastTokens, BOS);
        int vocabulary = translator.spec().targetVocabularySize();
        int width = settings.beamWidth();
        while (decoder != null && decoder.rows() > 0) {
            TranslatorDecoder.Step step = decoder.step(lastTokens);
            float[] logp = step.logProbabilities();
            List<Integer> rows = new ArrayList<>();
            List<Integer> tokens = new ArrayList<>();
            for (int i = 0; i < sentences; i++) {
                List<Hypothesis> beams = alive.get(i);
                if (beams.isEmpty()) {
                    continue;
                }
                int limit = settings.maxTargetLength(memories.get(i).length());
                List<Hypothesis> candidates = new ArrayList<>();
                for (Hypothesis beam : beams) {
                    for (int token : topTokens(logp, beam.row() * vocabulary, vocabulary, width)) {
                        int[] extended = Arrays.copyOf(beam.tokens(), beam.tokens().length + 1);
                        extended[beam.tokens().length] = token;
                        candidates.add(new Hypothesis(extended, beam.score() + logp[beam.row() * vocabulary + token],
                                beam.row()));
                    }
                }
                candidates.sort(Comparator.comparingDouble(Hypothesis::score).reversed());
                List<Hypothesis> next = new ArrayList<>();
                for (Hypothesis candidate : candidates) {
                    if (next.size() + finished.get(i).size() >= width) {
                        break;
                    }
                    int length = candidate.tokens().length;
                    if (candidate.tokens()[length - 1] == EOS) {
                        finished.get(i).add(new Finished(Arrays.copyOf(candidate.tokens(), length - 1),
                                candidate.score() / settings.penalty(length)));
                    } else if (length >= limit) {
                        finished.get(i).add(new Finished(candidate.tokens(),
                                candidate.score() / settings.penalty(length)));
                    } else {
                        next.add(candidate);
                    }
                }
                List<Hypothesis> kept = new ArrayList<>();
                for (Hypothesis hypothesis : next) {
                    kept.add(new Hypothesis(hypothesis.tokens(), hypothesis.score(), rows.size()));
                    rows.add(hypothesis.row());
                    tokens.add(hypothesis.tokens()[hypothesis.tokens().length - 1]);
                }
                alive.set(i, kept);
            }
            decoder = step.decoder().select(rows.stream().mapToInt(Integer::intValue).toArray());
            lastTokens = tokens.stream().mapToInt(Integer::intValue).toArray();
        }
        List<int[]> best = new ArrayList<>(sentences);
        for (List<Finished> done : finished) {
            Finished top = null;
            for (Finished candidate : done) {
                if (top == null || candidate.rank() > top.rank()) {
                    top = candidate;
                }
            }
            best.add(top == null ? new int[0] : top.tokens());
        }
        return best;
    }

    /** The ids of the {@code count} largest values of {@code values[from .. from + width)}, largest first. */
    static int[] topTokens(float[] values, int from, int width, int count) {
        int k = Math.min(count, width);
        int[] best = new int[k];
        float[] bestValues = new float[k];
        Arrays.fill(bestValues, Float.NEGATIVE_INFINITY);
        Arrays.fill(best, -1);
        for (int i = 0; i < width; i++) {
            float v = values[from + i];
            if (best[k - 1] >= 0 && v <= bestValues[k - 1]) {
                continue;
            }
            int position = k - 1;
            while (position > 0 && (best[position - 1] < 0 || v > bestValues[position - 1])) {
                best[position] = best[position - 1];
                bestValues[position] = bestValues[position - 1];
                position--;
            }
            best[position] = i;
            bestValues[position] = v;
        }
        return best;
    }
}
