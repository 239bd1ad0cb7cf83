package dev.qrnnstreams.reliability;

import dev.qrnnstreams.avro.Classification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One scenario's outcome against the uninterrupted run over the same input: records in, outputs and dead
 * letters committed, event ids lost (in the reference, never out) or duplicated (out more than once), and
 * outputs whose key, label, token count or scores (beyond {@value #SCORE_TOLERANCE}) differ.
 */
record Verdict(String scenario, int recordsIn, int outputs, int deadLetters, int lost, int duplicated,
               int mismatched, List<String> examples, String notes) {
    /** Largest accepted difference of a score from the uninterrupted run's. */
    static final double SCORE_TOLERANCE = 1e-6;
    private static final int EXAMPLES = 5;

    /** Compares what {@code faulted} committed with {@code reference}, an uninterrupted run over the same input. */
    static Verdict of(String scenario, int recordsIn, Ledger reference, Ledger faulted, String notes) {
        return of(scenario, recordsIn, reference.counts().keySet(), reference.outputs(), faulted, notes);
    }

    /**
     * Compares what {@code faulted} committed with the event ids {@code expected} (each exactly once) and, for
     * the ids in {@code want}, their outputs in an uninterrupted run.
     */
    static Verdict of(String scenario, int recordsIn, java.util.Set<String> expected, Map<String, Classification> want,
                      Ledger faulted, String notes) {
        Map<String, Integer> seen = faulted.counts();
        Map<String, Classification> got = faulted.outputs();
        List<String> examples = new ArrayList<>();
        int lost = 0;
        int mismatched = 0;
        for (String id : expected) {
            if (!seen.containsKey(id)) {
                lost++;
                note(examples, "lost " + id);
            } else if (want.containsKey(id) && !same(want.get(id), got.get(id))) {
                mismatched++;
                note(examples, "differs " + id + ": " + want.get(id) + " vs " + got.get(id));
            }
        }
        int duplicated = seen.values().stream().mapToInt(count -> count - 1).sum();
        int unexpected = (int) seen.keySet().stream().filter(id -> !expected.contains(id)).count();
        if (unexpected > 0) {
            mismatched += unexpected;
            note(examples, unexpected + " event ids not in the uninterrupted run");
        }
        return new Verdict(scenario, recordsIn, faulted.outputCount(), faulted.deadLetters().size(), lost,
                duplicated, mismatched, List.copyOf(examples), notes);
    }

    private static void note(List<String> examples, String example) {
        if (examples.size() < EXAMPLES) {
            examples.add(example);
        }
    }

    private static boolean same(Classification want, Classification got) {
        if (got == null || !want.getKey().equals(got.getKey()) || !want.getLabel().equals(got.getLabel())
                || want.getTokensSeen() != got.getTokensSeen() || !want.getScores().keySet().equals(got.getScores().keySet())) {
            return false;
        }
        return want.getScores().entrySet().stream().allMatch(score ->
                Math.abs(score.getValue() - got.getScores().get(score.getKey())) <= SCORE_TOLERANCE);
    }

    /** Whether nothing was lost, duplicated or changed. */
    boolean passed() {
        return lost == 0 && duplicated == 0 && mismatched == 0;
    }

    /** The same verdict with {@code more} appended to its notes. */
    Verdict withNotes(String more) {
        return new Verdict(scenario, recordsIn, outputs, deadLetters, lost, duplicated, mismatched, examples,
                notes.isEmpty() ? more : notes + "; " + more);
    }
}
