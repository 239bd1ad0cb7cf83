package dev.qrnnstreams.train;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A row of a labelled data file that cannot be used, with the file, the 1-based line it starts on
 * (0 when the problem is the file as a whole) and the problem in words.
 */
public final class BadDataException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final long line;
    private final String problem;

    /** A problem at {@code line} of {@code file}. */
    public BadDataException(Path file, long line, String problem) {
        super(file + (line > 0 ? " line " + line : "") + ": " + problem);
        this.file = file;
        this.line = line;
        this.problem = problem;
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** The 1-based line the row starts on, or 0 for the whole file. */
    public long line() {
        return line;
    }

    /** What is wrong, without the file and line. */
    public String problem() {
        return problem;
    }
}
