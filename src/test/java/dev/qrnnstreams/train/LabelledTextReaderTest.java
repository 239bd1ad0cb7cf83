package dev.qrnnstreams.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each format, quoting, headers, column choice, every bad-data message with file and line, skipping. */
class LabelledTextReaderTest {
    @TempDir
    Path directory;

    private Path file(String name, String content) throws IOException {
        Path file = directory.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private static List<LabelledTextReader.Row> rows(LabelledTextReader reader, Path file) throws IOException {
        return reader.read(file).rows();
    }

    @Test
    void shouldReadCsvColumnsByNameWhenTheFileHasAHeader() throws IOException {
        Path csv = file("data.csv", "id,label,question\n1,HUM,Who wrote Hamlet?\n2,LOC,Where is Rome?\n");

        List<LabelledTextReader.Row> rows = rows(LabelledTextReader.builder().textColumn("question").build(), csv);

        assertThat(rows).containsExactly(new LabelledTextReader.Row("Who wrote Hamlet?", "HUM", 2),
                new LabelledTextReader.Row("Where is Rome?", "LOC", 3));
    }

    @Test
    void shouldReadOnlyTheTextColumnOfUnlabelledCsvAndJsonLines() throws IOException {
        Path csv = file("texts.csv", "id,body\n1,First text.\n2,Second text.\n");
        Path jsonl = file("texts.jsonl", "{\"body\": \"Only text.\"}\n");
        LabelledTextReader reader = LabelledTextReader.builder().textColumn("body").unlabelled().build();

        assertThat(rows(reader, csv)).containsExactly(new LabelledTextReader.Row("First text.", "", 2),
                new LabelledTextReader.Row("Second text.", "", 3));
        assertThat(rows(reader, jsonl)).containsExactly(new LabelledTextReader.Row("Only text.", "", 1));
        assertThat(reader.settings()).doesNotContainKey("label_column");
    }

    @Test
    void shouldKeepDelimitersQuotesAndNewlinesInsideQuotedFieldsAndCountLinesFromTheRowStart() throws IOException {
        Path csv = file("quoted.csv", "text,label\n\"one, two\nthree \"\"four\"\"\",a\nplain,b\n");

        List<LabelledTextReader.Row> rows = rows(LabelledTextReader.builder().build(), csv);

        assertThat(rows).containsExactly(new LabelledTextReader.Row("one, two\nthree \"four\"", "a", 2),
                new LabelledTextReader.Row("plain", "b", 4));
    }

    @Test
    void shouldReadTsvColumnsByPositionWhenThereIsNoHeader() throws IOException {
        Path tsv = file("data.tsv", "pos\tA gem.\nneg\t\"Dull\ttwice\"\n");

        List<LabelledTextReader.Row> rows = rows(LabelledTextReader.builder().header(false).textColumn("2")
                .labelColumn("1").build(), tsv);

        assertThat(rows).extracting(LabelledTextReader.Row::text).containsExactly("A gem.", "Dull\ttwice");
        assertThat(rows).extracting(LabelledTextReader.Row::label).containsExactly("pos", "neg");
    }

    @Test
    void shouldReadQuotesAsPlainTextWhenQuotingIsOff() throws IOException {
        Path tsv = file("plain.tsv", "text\tlabel\n\"Brilliant\" is the word\t1\n");

        assertThat(rows(LabelledTextReader.builder().quote(null).build(), tsv)).extracting(LabelledTextReader.Row::text)
                .containsExactly("\"Brilliant\" is the word");
    }

    @Test
    void shouldReadJsonLinesFieldsByNameAndSkipBlankLines() throws IOException {
        Path jsonl = file("data.jsonl", "{\"q\": \"Who?\", \"y\": \"HUM\"}\n\n{\"q\": \"How many?\", \"y\": 3}\n");

        List<LabelledTextReader.Row> rows = rows(LabelledTextReader.builder().textColumn("q").labelColumn("y").build(),
                jsonl);

        assertThat(rows).containsExactly(new LabelledTextReader.Row("Who?", "HUM", 1),
                new LabelledTextReader.Row("How many?", "3", 3));
    }

    @Test
    void shouldReadGzipFilesAndTellTheFormatFromTheNameWithoutTheGzEnding() throws IOException {
        Path gz = directory.resolve("data.tsv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("label\ttext\nx\tcompressed\n".getBytes(StandardCharsets.UTF_8));
        }

        assertThat(LabelledTextReader.Format.of(gz)).contains(LabelledTextReader.Format.TSV);
        assertThat(rows(LabelledTextReader.builder().build(), gz)).containsExactly(
                new LabelledTextReader.Row("compressed", "x", 2));
    }

    @Test
    void shouldNameFileAndLineOfEveryKindOfBadRow() throws IOException {
        LabelledTextReader reader = LabelledTextReader.builder().build();
        Path missing = file("missing.csv", "text,label\nfine,a\nno label column\n");
        Path empty = file("empty.csv", "text,label\nfine,a\n  ,b\n");
        Path noLabel = file("nolabel.csv", "text,label\nfine,a\nfine,\n");
        Path quote = file("quote.csv", "text,label\nfine,a\n\"open quote,b\n");
        Path json = file("bad.jsonl", "{\"text\": \"fine\", \"label\": \"a\"}\n{not json\n");
        Path noHeaderColumn = file("header.csv", "sentence,label\nfine,a\n");

        assertThatThrownBy(() -> reader.read(missing)).isInstanceOf(BadDataException.class)
                .hasMessage(missing + " line 3: missing label column 'label': the row has 1 field");
        assertThatThrownBy(() -> reader.read(empty)).hasMessage(empty + " line 3: empty text");
        assertThatThrownBy(() -> reader.read(noLabel)).hasMessage(noLabel + " line 3: missing label");
        assertThatThrownBy(() -> reader.read(quote)).hasMessageStartingWith(quote + " line 3: malformed quoted field");
        assertThatThrownBy(() -> reader.read(json)).hasMessageStartingWith(json + " line 2: not a JSON object");
        assertThatThrownBy(() -> reader.read(noHeaderColumn))
                .hasMessage(noHeaderColumn + " line 1: missing column: no text column 'text' in the header [sentence, label]");
    }

    @Test
    void shouldNameFileAndLineOfAnUnknownLabel() throws IOException {
        Path csv = file("labels.csv", "text,label\none,a\ntwo,c\n");
        LabelledTextReader.Rows rows = LabelledTextReader.builder().build().read(csv);

        assertThatThrownBy(() -> ClassLabels.of(List.of("a", "b")).label(rows, false))
                .hasMessage(csv + " line 3: unknown label 'c'; the classes are [a, b]");
    }

    @Test
    void shouldSkipAndCountBadRowsWhenAsked() throws IOException {
        Path csv = file("mixed.csv", "text,label\none,a\n,b\nthree\nfour,b\nfive,z\n");
        LabelledTextReader.Rows rows = LabelledTextReader.builder().skipBadRows(true).build().read(csv);

        ClassLabels.Labelled labelled = ClassLabels.of(List.of("a", "b")).label(rows, true);

        assertThat(labelled.texts()).containsExactly(new LabelledText("one", 0), new LabelledText("four", 1));
        assertThat(labelled.skipped()).containsExactly(csv + " line 3: empty text",
                csv + " line 4: missing label column 'label': the row has 1 field",
                csv + " line 6: unknown label 'z'; the classes are [a, b]");
    }

    @Test
    void shouldTakeTheClassesSortedFromTheDataAndReadTheRecordedSettingsBack() throws IOException {
        Path csv = file("classes.csv", "text,label\nx,NUM\ny,HUM\nz,ABBR\nw,HUM\n");
        LabelledTextReader reader = LabelledTextReader.builder().format(LabelledTextReader.Format.CSV).quote(null)
                .build();

        assertThat(ClassLabels.of(reader.read(csv)).names()).containsExactly("ABBR", "HUM", "NUM");
        assertThat(LabelledTextReader.fromSettings(reader.settings()).orElseThrow().build().settings())
                .isEqualTo(reader.settings());
    }
}
