package dev.qrnnstreams.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrnnstreams.nn.cpu.CpuBackend;
import dev.qrnnstreams.nn.translate.QrnnTranslator;
import dev.qrnnstreams.nn.translate.TranslatorDecoder;
import dev.qrnnstreams.nn.translate.TranslatorMemory;
import dev.qrnnstreams.nn.translate.TranslatorSpec;
import dev.qrnnstreams.text.SpecialToken;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Greedy search against a hand-rolled argmax loop, and wide beam search against exhaustive enumeration
 * of every target sequence up to the length limit, on small random translators.
 */
class BeamSearchTest {
    private static final int EOS = SpecialToken.EOS.id();

    private static QrnnTranslator translator(int targetVocabulary, long seed) {
        TranslatorSpec spec = new TranslatorSpec(8, targetVocabulary, 4, 6, 2, 2, 0.1, 0.0);
        QrnnTranslator initial = QrnnTranslator.initial(spec, new SplittableRandom(seed));
        Random random = new Random(seed);
        Map<String, float[]> tensors = initial.tensors();
        tensors.replaceAll((name, values) -> {
            float[] moved = values.clone();
            for (int i = 0; i < moved.length; i++) {
                moved[i] += (float) (random.nextGaussian() * 0.8);
            }
            return moved;
        });
        return new QrnnTranslator(spec, tensors);
    }

    private static TranslatorMemory memory(QrnnTranslator translator, int[] source) {
        try (CpuBackend backend = CpuBackend.vectorised()) {
            return translator.encode(backend, source);
        }
    }

    @Test
    void shouldFollowTheMostProbableTokenAtWidthOne() {
        QrnnTranslator translator = translator(12, 3);
        List<int[]> sources = List.of(new int[] {4, 5, 6}, new int[] {7, 7}, new int[] {5});
        List<TranslatorMemory> memories = sources.stream().map(s -> memory(translator, s)).toList();
        DecodingSettings settings = new DecodingSettings(1, 0.0, 1.0, 6);
        List<int[]> found = BeamSearch.search(translator, memories, settings);
        for (int i = 0; i < sources.size(); i++) {
            TranslatorDecoder decoder = TranslatorDecoder.start(translator, List.of(memories.get(i)));
            List<Integer> expected = new ArrayList<>();
            int token = SpecialToken.BOS.id();
            while (expected.size() < settings.maxTargetLength(sources.get(i).length)) {
                TranslatorDecoder.Step step = decoder.step(new int[] {token});
                token = BeamSearch.topTokens(step.logProbabilities(), 0, 12, 1)[0];
                if (token == EOS) {
                    break;
                }
                expected.add(token);
                decoder = step.decoder();
            }
            assertThat(found.get(i)).as("sentence " + i)
                    .containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    @Test
    void shouldFindTheExhaustiveOptimumWhenTheBeamHoldsEveryHypothesis() {
        for (double penalty : new double[] {0.0, 1.0}) {
            QrnnTranslator translator = translator(6, 11);
            TranslatorMemory memory = memory(translator, new int[] {4, 6});
            DecodingSettings settings = new DecodingSettings(300, penalty, 1.0, 3);
            int[] found = BeamSearch.search(translator, List.of(memory), settings).get(0);
            Best best = new Best();
            enumerate(translator, memory, settings, TranslatorDecoder.start(translator, List.of(memory)),
                    SpecialToken.BOS.id(), new int[0], 0.0, best);
            assertThat(found).as("length penalty " + penalty).containsExactly(best.tokens);
        }
    }

    @Test
    void shouldStopAtTheMaximumLength() {
        QrnnTranslator translator = translator(12, 5);
        int[] found = BeamSearch.search(translator, List.of(memory(translator, new int[] {4, 5, 6, 7})),
                new DecodingSettings(4, 0.6, 1.0, 2)).get(0);
        assertThat(found.length).isLessThanOrEqualTo(2);
    }

    @Test
    void shouldPickTheLargestValuesInOrder() {
        float[] values = {0.5f, 3f, -1f, 3f, 2f};
        assertThat(BeamSearch.topTokens(values, 0, 5, 3)).containsExactly(1, 3, 4);
        assertThat(BeamSearch.topTokens(values, 2, 3, 5)).containsExactly(1, 2, 0);
    }

    private static final class Best {
        private double rank = Double.NEGATIVE_INFINITY;
        private int[] tokens;
    }

    private static void enumerate(QrnnTranslator translator, TranslatorMemory memory, DecodingSettings settings,
                                  TranslatorDecoder decoder, int last, int[] prefix, double score, Best best) {
        TranslatorDecoder.Step step = decoder.step(new int[] {last});
        int limit = settings.maxTargetLength(memory.length());
        int vocabulary = translator.spec().targetVocabularySize();
        for (int token = 0; token < vocabulary; token++) {
            double next = score + step.logProbabilities()[token];
            int length = prefix.length + 1;
            if (token == EOS || length >= limit) {
                double rank = next / settings.penalty(length);
                if (rank > best.rank) {
                    best.rank = rank;
                    best.tokens = token == EOS ? prefix : append(prefix, token);
                }
            } else {
                enumerate(translator, memory, settings, step.decoder(), token, append(prefix, token), next, best);
            }
        }
    }

    private static int[] append(int[] prefix, int token) {
        int[] longer = Arrays.copyOf(prefix, prefix.length + 1);
        longer[prefix.length] = token;
        return longer;
    }
}
