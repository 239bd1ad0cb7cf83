package dev.qrnnstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration reference is the table {@link ServiceConfig#markdownReference()} renders. */
class ReadmeSettingsTest {
    private static final String BEGIN = "<!-- settings:begin -->";
    private static final String END = "<!-- settings:end -->";

    @Test
    void shouldHaveTheRenderedSettingsTableBetweenTheMarkersOfTheReadme() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        assertThat(begin).as("README.md has the marker " + BEGIN).isNotNegative();
        assertThat(end).as("README.md has the marker " + END + " after " + BEGIN).isGreaterThan(begin);
        assertThat(readme.indexOf(BEGIN, begin + 1)).as("one " + BEGIN).isNegative();

        String section = readme.substring(begin + BEGIN.length(), end).strip();

        assertThat(section)
                .as("README.md's settings table; replace the lines between the markers with the expected text")
                .isEqualTo(ServiceConfig.markdownReference().strip());
    }
}
