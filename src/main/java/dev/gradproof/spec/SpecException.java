package dev.gradproof.spec;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * A spec that cannot be used, with the place to fix it. {@link #getMessage()} is the full one-line
 * message {@code FILE:LINE:COLUMN: FIELD: PROBLEM} shown to users; {@link #problem()} is the part
 * after the field.
 *
 * <p>One exception may carry every problem found in a file ({@link #all()}, in file order): its message
 * is then one such line per problem, and its position, field and problem are those of the first.
 */
@API(status = INTERNAL, since = "0.2")
public final class SpecException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Path file;
    private final int line;
    private final int column;
    private final String field;
    private final String problem;
    private final List<SpecException> all;

    public SpecException(Path file, int line, int column, String field, String problem) {
        super(format(file, line, column, field, problem));
        this.file = file;
        this.line = line;
        this.column = column;
        this.field = field;
        this.problem = problem;
        this.all = List.of(this);
    }

    /** A file broken everywhere is still answered in a screenful. */
    static final int SHOWN = 20;

    private SpecException(List<SpecException> problems) {
        super(String.join("\n", problems.stream().limit(SHOWN).map(SpecException::getMessage).toList())
                + (problems.size() > SHOWN ? "\n... and " + (problems.size() - SHOWN) + " more problems" : ""));
        SpecException first = problems.get(0);
        this.file = first.file;
        this.line = first.line;
        this.column = first.column;
        this.field = first.field;
        this.problem = first.problem;
        this.all = List.copyOf(problems);
    }

    /**
     * All the problems of {@code found} (each may hold several) as one exception, sorted by line and
     * column (problems without a line first), each message once.
     */
    public static SpecException of(List<SpecException> found) {
        Map<String, SpecException> unique = new LinkedHashMap<>();
        for (SpecException e : found) {
            for (SpecException single : e.all) {
                unique.putIfAbsent(single.getMessage(), single);
            }
        }
        List<SpecException> sorted = new ArrayList<>(unique.values());
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("no problem to report");
        }
        sorted.sort(Comparator.comparingInt(SpecException::line).thenComparingInt(SpecException::column));
        return sorted.size() == 1 ? sorted.get(0) : new SpecException(sorted);
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

    /** Every problem this exception reports, one position each; just this one for a single problem. */
    public List<SpecException> all() {
        return all;
    }
}
