package dev.qrnnstreams.train;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Corpus-level BLEU (Papineni et al. 2002) computed as sacreBLEU computes it by default (Post 2018;
 * {@code BLEU()} with no arguments: one reference per segment, mixed case, the {@code 13a} tokenizer,
 * maximum n-gram order 4, {@code smooth_method='exp'}, no effective order).
 *
 * <p>Per segment, both sides are right-stripped and tokenised like mteval-v13a: {@code &quot;},
 * {@code &amp;}, {@code &lt;}, {@code &gt;} are unescaped, then every ASCII symbol other than the
 * apostrophe, comma, hyphen and full stop is split off, a full stop or comma is split off unless it is
 * between digits, a hyphen after a digit is split off, and the result is split on whitespace. Clipped
 * n-gram matches and totals, the hypothesis length and the reference length are summed over the corpus.
 * Then, with {@code p_n = 100 * correct_n / total_n}:
 * <ul>
 *   <li>no matched n-gram of any order: BLEU = 0;</li>
 *   <li>an order with {@code total_n = 0} (every hypothesis shorter than n) ends the loop and the
 *       remaining precisions stay 0, which sacreBLEU's log turns into a score of 0;</li>
 *   <li>an order with matches 0 but {@code total_n > 0} gets the "exp" smoothing of mteval-v13a:
 *       a counter k doubles at each such order and {@code p_n = 100 / (k * total_n)};</li>
 *   <li>brevity penalty {@code exp(1 - r / c)} when {@code c < r} (0 when c = 0), else 1;</li>
 *   <li>BLEU = {@code BP * exp(mean_n log p_n)}, on sacreBLEU's 0-100 scale.</li>
 * </ul>
 */
public final class CorpusBleu {
    private static final int ORDER = 4;
    private static final Pattern SYMBOLS = Pattern.compile("([\\{-\\~\\[-\\` -\\&\\(-\\+\\:-\\@\\/])");
    private static final Pattern STOP_AFTER_NON_DIGIT = Pattern.compile("([^0-9])([\\.,])");
    private static final Pattern STOP_BEFORE_NON_DIGIT = Pattern.compile("([\\.,])([^0-9])");
    private static final Pattern DASH_AFTER_DIGIT = Pattern.compile("([0-9])(-)");

    private CorpusBleu() {
    }

    /**
     * The score and its sufficient statistics.
     *
     * @param score BLEU on the 0-100 scale
     * @param correct clipped matches per order 1-4
     * @param total hypothesis n-grams per order 1-4
     * @param hypothesisLength tokens in all hypotheses
     * @param referenceLength tokens in all references
     */
    public record Result(double score, long[] correct, long[] total, long hypothesisLength, long referenceLength) {
        /** The brevity penalty. */
        public double brevityPenalty() {
            if (hypothesisLength >= referenceLength) {
                return 1.0;
            }
            return hypothesisLength == 0 ? 0.0 : Math.exp(1.0 - (double) referenceLength / hypothesisLength);
        }
    }

    /** BLEU of {@code hypotheses} against one reference each. */
    public static Result score(List<String> hypotheses, List<String> references) {
        if (hypotheses.size() != references.size()) {
            throw new IllegalArgumentException(hypotheses.size() + " hypotheses but " + references.size()
                    + " references");
        }
        long[] correct = new long[ORDER];
        long[] total = new long[ORDER];
        long hypothesisLength = 0;
        long referenceLength = 0;
        for (int i = 0; i < hypotheses.size(); i++) {
            List<String> hypothesis = tokenize13a(hypotheses.get(i));
            List<String> reference = tokenize13a(references.get(i));
            hypothesisLength += hypothesis.size();
            referenceLength += reference.size();
            for (int n = 1; n <= ORDER; n++) {
                Map<List<String>, Integer> referenceCounts = ngrams(reference, n);
                for (Map.Entry<List<String>, Integer> entry : ngrams(hypothesis, n).entrySet()) {
                    correct[n - 1] += Math.min(entry.getValue(), referenceCounts.getOrDefault(entry.getKey(), 0));
                }
                total[n - 1] += Math.max(0, hypothesis.size() - n + 1);
            }
        }
        return new Result(compute(correct, total, hypothesisLength, referenceLength), correct, total,
                hypothesisLength, referenceLength);
    }

    private static double compute(long[] correct, long[] total, long hypothesisLength, long referenceLength) {
        boolean anyMatch = false;
        for (long c : correct) {
            anyMatch |= c > 0;
        }
        if (!anyMatch) {
            return 0.0;
        }
        double[] precisions = new double[ORDER];
        double smooth = 1.0;
        for (int n = 0; n < ORDER; n++) {
            if (total[n] == 0) {
                break;
            }
            if (correct[n] == 0) {
                smooth *= 2;
                precisions[n] = 100.0 / (smooth * total[n]);
            } else {
                precisions[n] = 100.0 * correct[n] / total[n];
            }
        }
        double logSum = 0;
        for (double p : precisions) {
            if (p <= 0) {
                return 0.0;
            }
            logSum += Math.log(p);
        }
        double bp = hypothesisLength >= referenceLength ? 1.0
                : Math.exp(1.0 - (double) referenceLength / hypothesisLength);
        return bp * Math.exp(logSum / ORDER);
    }

    /** The tokens of {@code line} under sacreBLEU's {@code 13a} tokenizer. */
    public static List<String> tokenize13a(String line) {
        String text = stripTrailing(line).replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
                .replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
        text = " " + text + " ";
        text = SYMBOLS.matcher(text).replaceAll(" $1 ");
        text = STOP_AFTER_NON_DIGIT.matcher(text).replaceAll("$1 $2 ");
        text = STOP_BEFORE_NON_DIGIT.matcher(text).replaceAll(" $1 $2");
        text = DASH_AFTER_DIGIT.matcher(text).replaceAll("$1 $2 ");
        List<String> tokens = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= text.length(); i++) {
            boolean space = i == text.length() || isPythonSpace(text.charAt(i));
            if (space && start >= 0) {
                tokens.add(text.substring(start, i));
                start = -1;
            } else if (!space && start < 0) {
                start = i;
            }
        }
        return tokens;
    }

    /** Python's {@code str.isspace()} for one UTF-16 unit: whitespace, separators, and the 0x1C-0x1F controls. */
    private static boolean isPythonSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    private static String stripTrailing(String line) {
        int end = line.length();
        while (end > 0 && isPythonSpace(line.charAt(end - 1))) {
            end--;
        }
        return line.substring(0, end);
    }

    private static Map<List<String>, Integer> ngrams(List<String> tokens, int n) {
        Map<List<String>, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) {
            counts.merge(tokens.subList(i, i + n), 1, Integer::sum);
        }
        return counts;
    }
}
