package dev.qrnnstreams.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Guards the data readers and the repeatable dev split. */
class LabelledTextTest {
    private static final Path SST2_DEV = Path.of("..", "shared", "data", "sst2", "dev.tsv");

    @TempDir
    Path directory;

    @Test
    void shouldReadTheSst2DevSplit() throws IOException {
        Assumptions.assumeTrue(Files.exists(SST2_DEV), "SST-2 is read from ../shared/data; absent here");

        List<LabelledText> dev = ClassificationDataset.SST2.read(SST2_DEV);

        assertThat(dev).hasSize(872);
        assertThat(dev).extracting(LabelledText::label).containsOnly(0, 1);
        assertThat(dev.get(0).text()).isNotBlank();
    }

    @Test
    void shouldReadImdbTextAndLabelColumnsFromGzip() throws IOException {
        Path file = directory.resolve("imdb.tsv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(("id\tlabel\trating\ttext\nneg_0\t0\t3\tDull.<br /><br />Very dull.\npos_1\t1\t9\tA gem.\n")
                    .getBytes(StandardCharsets.UTF_8));
        }

        assertThat(ClassificationDataset.IMDB.read(file)).containsExactly(
                new LabelledText("Dull.<br /><br />Very dull.", 0), new LabelledText("A gem.", 1));
    }

    @Test
    void shouldNameTheLineOfAMalformedRow() throws IOException {
        Path file = directory.resolve("bad.tsv");
        Files.writeString(file, "sentence\tlabel\nfine\t1\nno label here\n");

        assertThatThrownBy(() -> ClassificationDataset.SST2.read(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("line 3");
    }

    @Test
    void shouldSplitRepeatablyIntoDisjointSetsOfTheRequestedSize() {
        List<LabelledText> texts = IntStream.range(0, 1000).mapToObj(i -> new LabelledText("text " + i, i % 2))
                .toList();

        LabelledText.Split split = LabelledText.split(texts, 0.1, 7);

        assertThat(split.dev()).hasSize(100);
        assertThat(split.train()).hasSize(900);
        HashSet<LabelledText> all = new HashSet<>(split.train());
        all.addAll(split.dev());
        assertThat(all).hasSize(1000);
        assertThat(LabelledText.split(texts, 0.1, 7)).isEqualTo(split);
        assertThat(LabelledText.split(texts, 0.1, 8).dev()).isNotEqualTo(split.dev());
    }

    @Test
    void shouldKeepEachClassShareInBothSetsWhenSplitStratified() {
        List<LabelledText> texts = new java.util.ArrayList<>();
        int[] sizes = {500, 300, 150, 50};
        for (int c = 0; c < sizes.length; c++) {
            for (int i = 0; i < sizes[c]; i++) {
                texts.add(new LabelledText("class " + c + " text " + i, c));
            }
        }

        LabelledText.Split split = LabelledText.stratifiedSplit(texts, 0.1, 7);

        ClassLabels classes = ClassLabels.of(List.of("a", "b", "c", "d"));
        assertThat(classes.counts(split.dev())).containsExactly(50, 30, 15, 5);
        assertThat(classes.counts(split.train())).containsExactly(450, 270, 135, 45);
        assertThat(new HashSet<>(split.dev())).doesNotContainAnyElementsOf(split.train());
        assertThat(split.dev().subList(0, 20)).extracting(LabelledText::label).as("not ordered by class")
                .contains(0, 1);
        assertThat(LabelledText.stratifiedSplit(texts, 0.1, 7)).isEqualTo(split);
        assertThat(LabelledText.stratifiedSplit(texts, 0.1, 8).dev()).isNotEqualTo(split.dev());
    }
}
