package dev.qrnnstreams.cli;

import dev.qrnnstreams.train.ClassificationDataset;
import dev.qrnnstreams.train.LabelledTextReader;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How labelled text files are read, shared by {@code train classifier} and {@code eval} as a picocli
 * mixin: the layout, header, text and label columns, quoting, and whether bad rows are skipped. Options
 * left out keep the base's value (the defaults, or what a model's manifest recorded).
 */
public final class ReaderOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--format",
            description = "Layout of the data files: csv, tsv or jsonl (gzip or not); eval also takes the presets "
                    + "sst2 and imdb. Default: from each file's name (.csv, .tsv/.tab/.txt, .jsonl/.ndjson/.json, "
                    + "optionally .gz), or what the model's manifest recorded.")
    private String format;

    @Option(names = "--header", negatable = true, fallbackValue = "true",
            description = "Whether the first line of a CSV or TSV file names the columns (--no-header: it is data). "
                    + "Default: true.")
    private Boolean header;

    @Option(names = "--text-column",
            description = "The text column: a header name or a 1-based position (JSON Lines: a field name). "
                    + "Default: text.")
    private String textColumn;

    @Option(names = "--label-column",
            description = "The label column, as --text-column. Default: label.")
    private String labelColumn;

    @Option(names = "--quote",
            description = "The quote character of CSV and TSV fields (which may then hold delimiters, quotes "
                    + "doubled, and newlines), or none when quotes are plain text. Default: \".")
    private String quote;

    @Option(names = "--skip-bad-rows",
            description = "Leave out and count rows that cannot be used (missing column, empty text, missing or "
                    + "unknown label) instead of failing on the first with its file and line. Default: false.")
    private boolean skipBadRows;

    /** The preset named by {@code --format sst2|imdb}, if that is what it names. */
    public Optional<ClassificationDataset> preset() {
        if (format == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ClassificationDataset.of(format));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether bad rows are skipped and counted. */
    public boolean skipBadRows() {
        return skipBadRows;
    }

    /** Whether any option that changes how a file is read was given. */
    public boolean given() {
        return format != null || header != null || textColumn != null || labelColumn != null || quote != null;
    }

    /** Whether {@code --label-column} was given. */
    public boolean labelColumnGiven() {
        return labelColumn != null;
    }

    /**
     * The quote character that option {@code option}'s {@code value} names: one character, or null for
     * {@code none} (quotes are plain text).
     *
     * @throws ParameterException for any other value
     */
    static Character quoteCharacter(CommandLine commandLine, String option, String value) {
        if ("none".equals(value)) {
            return null;
        }
        if (value.length() != 1) {
            throw new ParameterException(commandLine, option + " must be one character or none, was " + value);
        }
        return value.charAt(0);
    }

    /** {@code base} with the options given laid over it. */
    public LabelledTextReader reader(LabelledTextReader.Builder base) {
        if (format != null) {
            try {
                base.format(LabelledTextReader.Format.valueOf(format.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(mixee.commandLine(), "--format must be csv, tsv or jsonl, was " + format);
            }
        }
        if (header != null) {
            base.header(header);
        }
        if (textColumn != null) {
            base.textColumn(textColumn);
        }
        if (labelColumn != null) {
            base.labelColumn(labelColumn);
        }
        if (quote != null) {
            base.quote(quoteCharacter(mixee.commandLine(), "--quote", quote));
        }
        try {
            return base.skipBadRows(skipBadRows).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), e.getMessage());
        }
    }
}
