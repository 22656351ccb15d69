package dev.gradproof.spec;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.nio.file.Path;
import org.apiguardian.api.API;

/**
 * A spec that cannot be used, with the place to fix it. {@link #getMessage()} is the full one-line
 * message {@code FILE:LINE:COLUMN: FIELD: PROBLEM} shown to users; {@link #problem()} is the part
 * after the field.
 */
@API(status = INTERNAL, since = "0.2")
public final class SpecException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Path file;
    private final int line;
    private final int column;
    private final String field;
    private final String problem;

    public SpecException(Path file, int line, int column, String field, String problem) {
        super(format(file, line, column, field, problem));
        this.file = file;
        this.line = line;
        this.column = column;
        this.field = field;
        this.problem = problem;
    }

    private static String format(Path file, int line, int column, String field, String problem) {
        StringBuilder sb = new StringBuilder();
        sb.append(file == null ? "<spec>" : file.toString());
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        sb.append(": ");
        if (field != null && !field.isEmpty()) {
            sb.append(field).append(": ");
        }
        sb.append(problem);
        return sb.toString();
    }

    public Path file() {
        return file;
    }

    /** 1-based line, 0 when unknown. */
    public int line() {
        return line;
    }

    /** 1-based column, 0 when unknown. */
    public int column() {
        return column;
    }

    /** Dotted path of the offending field, e.g. {@code network.layers[1].units}. */
    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }
}
