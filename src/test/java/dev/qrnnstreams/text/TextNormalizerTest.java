package dev.qrnnstreams.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextNormalizerTest {
    private final TextNormalizer standard = TextNormalizer.standard();

    @Test
    void shouldApplyNfkcToLigaturesAndFullWidthForms() {
        assertThat(standard.normalize("\uFB01ne \uFB02ow")).isEqualTo("fine flow");
        assertThat(standard.normalize("\uFF28\uFF25\uFF2C\uFF2C\uFF2F\u3000\uFF57\uFF4F\uFF52\uFF4C\uFF44\uFF11\uFF12"))
                .isEqualTo("HELLO world12");
        assertThat(standard.normalize("e\u0301t\u00E9 \u2460 x\u00B2")).isEqualTo("\u00E9t\u00E9 1 x2");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Great film.<br /><br />Loved it.|Great film. Loved it.",
        "line<br/>next<BR>last|line next last",
        "<i>bold</i> move|bold move",
        "<p class=\"x\">text</p>|text",
        "x <!-- a comment --> y|x y",
        "I <3 it, a < b > c|I <3 it, a < b > c",
        "\uFF1Cbr /\uFF1Eafter|after"
    })
    void shouldRemoveHtmlLikeMarkup(String raw, String expected) {
        assertThat(standard.normalize(raw)).isEqualTo(expected);
    }

    @Test
    void shouldDecodeHtmlEntitiesOnceAfterRemovingTags() {
        assertThat(standard.normalize("Tom &amp; Jerry &lt;3 caf&eacute; &#233; &#x1F600; &quot;hi&quot;"))
                .isEqualTo("Tom & Jerry <3 caf\u00E9 \u00E9 \uD83D\uDE00 \"hi\"");
        assertThat(standard.normalize("&lt;br /&gt;")).isEqualTo("<br />");
        assertThat(standard.normalize("&amp;lt;")).isEqualTo("&lt;");
        assertThat(standard.normalize("&#xFB01;")).isEqualTo("fi");
        assertThat(standard.normalize("a&nbsp;&nbsp;b")).isEqualTo("a b");
    }

    @Test
    void shouldKeepUnknownOrInvalidEntitiesAsWritten() {
        assertThat(standard.normalize("&bogus; &#xD800; &#0; &#99999999; &amp no semicolon"))
                .isEqualTo("&bogus; &#xD800; &#0; &#99999999; &amp no semicolon");
    }

    @Test
    void shouldCollapseWhitespaceAndControlCharacters() {
        assertThat(standard.normalize("  a\t\tb\r\n c \u00A0 d\u2028e\u0000f\u0007  ")).isEqualTo("a b c d e f");
        assertThat(standard.normalize(" \n\t ")).isEmpty();
    }

    @Test
    void shouldTreatTheReservedWordMarkerAsSpace() {
        assertThat(standard.normalize("a\u2581b\u2581")).isEqualTo("a b");
    }

    @Test
    void shouldReplaceUnpairedSurrogates() {
        assertThat(standard.normalize("a\uD800b\uDC00")).isEqualTo("a\uFFFDb\uFFFD");
        assertThat(standard.normalize("\uD83D\uDE00")).isEqualTo("\uD83D\uDE00");
    }

    @Test
    void shouldLowercaseOnlyWhenAsked() {
        assertThat(standard.normalize("\u00C0B \u03A3")).isEqualTo("\u00C0B \u03A3");
        assertThat(standard.withLowercase(true).normalize("\u00C0B \u03A3 I")).isEqualTo("\u00E0b \u03C3 i");
    }

    @Test
    void shouldKeepMarkupAndEntitiesWhenSwitchedOff() {
        TextNormalizer raw = TextNormalizer.builder().stripMarkup(false).decodeEntities(false).build();
        assertThat(raw.normalize("a<br />b &amp; c")).isEqualTo("a<br />b &amp; c");
    }

    @Test
    void shouldBuildTheStandardSettingsByDefault() {
        assertThat(TextNormalizer.builder().build()).isEqualTo(standard);
        assertThat(standard.withStripMarkup(false).withDecodeEntities(false).withLowercase(true))
                .isEqualTo(new TextNormalizer(false, false, true));
    }
}
