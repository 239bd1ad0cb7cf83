package dev.qrnnstreams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrnnstreams.nn.Pooling;
import dev.qrnnstreams.train.ClassificationDataset;
import dev.qrnnstreams.train.LearningRateSchedule;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Guards the command line's parsing: registration, defaults, converters and exit codes. */
class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void shouldRegisterTrainClassifierAndEval() {
        CommandLine root = Main.commandLine();

        assertThat(root.getSubcommands()).containsKeys("train", "eval");
        assertThat(root.getSubcommands().get("train").getSubcommands()).containsKey("classifier");
    }

    @Test
    void shouldParseTheDocumentedDefaults() {
        CommandLine root = Main.commandLine();
        root.parseArgs("train", "classifier", "-o", "out");
        CommandSpec classifier = root.getSubcommands().get("train").getSubcommands().get("classifier").getCommandSpec();

        assertThat((Object) classifier.findOption("--dataset").getValue()).isEqualTo(ClassificationDataset.SST2);
        assertThat((Object) classifier.findOption("--data-dir").getValue()).isEqualTo(Path.of("../shared/data"));
        assertThat((Object) classifier.findOption("--pooling").getValue()).isEqualTo(Pooling.FO);
        assertThat((Object) classifier.findOption("--schedule").getValue())
                .isEqualTo(LearningRateSchedule.Shape.COSINE);
        assertThat((Object) classifier.findOption("--emb").getValue()).isEqualTo(64);
        assertThat((Object) classifier.findOption("--dense").getValue()).isEqualTo(true);
        assertThat((Object) classifier.findOption("--resume").getValue()).isEqualTo(false);
    }

    @Test
    void shouldConvertLowerCaseNamesAndNegateDense() {
        CommandLine root = Main.commandLine();
        root.parseArgs("train", "classifier", "-o", "out", "--dataset", "imdb", "--pooling", "ifo",
                "--schedule", "linear", "--no-dense");
        CommandSpec classifier = root.getSubcommands().get("train").getSubcommands().get("classifier").getCommandSpec();

        assertThat((Object) classifier.findOption("--dataset").getValue()).isEqualTo(ClassificationDataset.IMDB);
        assertThat((Object) classifier.findOption("--pooling").getValue()).isEqualTo(Pooling.IFO);
        assertThat((Object) classifier.findOption("--schedule").getValue())
                .isEqualTo(LearningRateSchedule.Shape.LINEAR);
        assertThat((Object) classifier.findOption("--dense").getValue()).isEqualTo(false);
    }

    @Test
    void shouldDescribeEveryOptionOfTrainClassifierWithItsDefault() {
        CommandSpec classifier = Main.commandLine().getSubcommands().get("train").getSubcommands().get("classifier")
                .getCommandSpec();

        for (OptionSpec option : classifier.options()) {
            assertThat(option.description()).as(option.longestName()).isNotEmpty();
            boolean documentedWithoutDefault = option.required() || option.usageHelp() || option.versionHelp()
                    || option.longestName().equals("--resume");
            if (!documentedWithoutDefault) {
                assertThat(String.join(" ", option.description())).as(option.longestName()).contains("Default");
            }
        }
    }

    @Test
    void shouldExitWithTheUsageCodeOnAWrongCommandLine() {
        assertThat(execute("train", "classifier", "--bogus", "-o", "x")).isEqualTo(Main.USAGE);
        assertThat(execute("train", "classifier")).as("missing --output").isEqualTo(Main.USAGE);
        assertThat(execute("train", "classifier", "-o", "x", "--pooling", "lstm")).isEqualTo(Main.USAGE);
        assertThat(execute("train", "classifier", "-o", "x", "--optimiser", "sgd")).isEqualTo(Main.USAGE);
        assertThat(execute()).as("no command").isEqualTo(Main.USAGE);
        assertThat(err.toString()).contains("'lstm' is not one of [f, fo, ifo]").contains("--optimiser must be adam");
    }

    @Test
    void shouldExitWithTheFailureCodeWhenTheCommandFails() {
        assertThat(execute("eval", "-m", "no/such/bundle", "-d", "no/such/file")).isEqualTo(Main.FAILED);
        assertThat(err.toString()).contains("is not a model bundle");
    }

    @Test
    void shouldPrintHelpAndExitWithSuccess() {
        assertThat(execute("train", "classifier", "--help")).isEqualTo(Main.OK);
        assertThat(out.toString()).contains("--checkpoint-dir").contains("--resume").contains("--max-tokens");
    }

    private int execute(String... args) {
        CommandLine root = Main.commandLine();
        root.setOut(new PrintWriter(out, true));
        root.setErr(new PrintWriter(err, true));
        return root.execute(args);
    }
}
