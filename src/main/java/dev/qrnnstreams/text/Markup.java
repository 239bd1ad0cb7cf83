package dev.qrnnstreams.text;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/** HTML-like tag removal and character-reference decoding for {@link TextNormalizer}. */
final class Markup {
    private static final Pattern TAG = Pattern.compile("<!--.*?-->|</?[A-Za-z][^<>]{0,256}>", Pattern.DOTALL);
    private static final Pattern ENTITY =
            Pattern.compile("&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));");

    private static final Map<String, String> NAMED = Map.ofEntries(
            Map.entry("amp", "&"), Map.entry("lt", "<"), Map.entry("gt", ">"), Map.entry("quot", "\""),
            Map.entry("apos", "'"), Map.entry("nbsp", "\u00A0"), Map.entry("shy", "\u00AD"),
            Map.entry("ndash", "\u2013"), Map.entry("mdash", "\u2014"), Map.entry("hellip", "\u2026"),
            Map.entry("lsquo", "\u2018"), Map.entry("rsquo", "\u2019"), Map.entry("sbquo", "\u201A"),
            Map.entry("ldquo", "\u201C"), Map.entry("rdquo", "\u201D"), Map.entry("bdquo", "\u201E"),
            Map.entry("laquo", "\u00AB"), Map.entry("raquo", "\u00BB"), Map.entry("copy", "\u00A9"),
            Map.entry("reg", "\u00AE"), Map.entry("trade", "\u2122"), Map.entry("deg", "\u00B0"),
            Map.entry("middot", "\u00B7"), Map.entry("bull", "\u2022"), Map.entry("times", "\u00D7"),
            Map.entry("divide", "\u00F7"), Map.entry("euro", "\u20AC"), Map.entry("pound", "\u00A3"),
            Map.entry("yen", "\u00A5"), Map.entry("cent", "\u00A2"), Map.entry("sect", "\u00A7"),
            Map.entry("para", "\u00B6"), Map.entry("aacute", "\u00E1"), Map.entry("agrave", "\u00E0"),
            Map.entry("acirc", "\u00E2"), Map.entry("auml", "\u00E4"), Map.entry("eacute", "\u00E9"),
            Map.entry("egrave", "\u00E8"), Map.entry("ecirc", "\u00EA"), Map.entry("iacute", "\u00ED"),
            Map.entry("oacute", "\u00F3"), Map.entry("ouml", "\u00F6"), Map.entry("uacute", "\u00FA"),
            Map.entry("uuml", "\u00FC"), Map.entry("Auml", "\u00C4"), Map.entry("Ouml", "\u00D6"),
            Map.entry("Uuml", "\u00DC"), Map.entry("szlig", "\u00DF"), Map.entry("ccedil", "\u00E7"),
            Map.entry("ntilde", "\u00F1"));

    private Markup() {
    }

    /** {@code text} with every HTML comment and HTML-like tag replaced by a space. */
    static String stripTags(String text) {
        if (text.indexOf('<') < 0) {
            return text;
        }
        return TAG.matcher(text).replaceAll(" ");
    }

    /** {@code text} with known character references decoded once; others stay as written. */
    static String decodeEntities(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        return ENTITY.matcher(text).replaceAll(match -> Matcher.quoteReplacement(decode(match)));
    }

    private static String decode(MatchResult match) {
        String named = match.group(3);
        if (named != null) {
            return NAMED.getOrDefault(named, match.group());
        }
        int codePoint = match.group(1) != null
                ? Integer.parseInt(match.group(1)) : Integer.parseInt(match.group(2), 16);
        if (codePoint == 0 || !Character.isValidCodePoint(codePoint)
                || (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)) {
            return match.group();
        }
        return Character.toString(codePoint);
    }
}
