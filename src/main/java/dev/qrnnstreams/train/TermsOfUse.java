package dev.qrnnstreams.train;

import java.util.regex.Pattern;

/**
 * The terms of use that a model's manifest records ({@code data.terms}): its own data's, then those of each
 * model it was built from (starting weights, teachers), named by that model's role, every distinct term once.
 * A model built from one that was itself built from others inherits their terms without repeating them.
 */
final class TermsOfUse {
    /** Where one model's entry ends in a merged string: before "; the starting weights: " or "; the teacher: ". */
    private static final Pattern ENTRY = Pattern.compile("; (?=the (?:starting weights|teacher): )");
    private static final Pattern ROLE = Pattern.compile("^the (?:starting weights|teacher): ");

    private TermsOfUse() {
    }

    /**
     * {@code terms} with every term of {@code added} (another model's recorded terms, merged or not) that
     * {@code terms} does not already hold, each named by {@code role}.
     *
     * @param terms the terms so far, or null for none
     * @param role the other model's role, such as {@code the teacher}
     */
    static String merge(String terms, String role, String added) {
        String merged = terms;
        for (String entry : ENTRY.split(added)) {
            String term = ROLE.matcher(entry).replaceFirst("");
            if (merged == null) {
                merged = role + ": " + term;
            } else if (!merged.contains(term)) {
                merged = merged + "; " + role + ": " + term;
            }
        }
        return merged;
    }
}
