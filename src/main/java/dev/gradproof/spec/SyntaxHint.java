package dev.gradproof.spec;

import java.nio.file.Path;
import java.util.Optional;

import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * Turns the YAML parser's account of a slip ("expected &lt;block end&gt;, but found ...", "mapping values
 * are not allowed here") into what to change on which line: an indentation to line up with a named line,
 * a missing colon, a tab, a value to quote. The parser reports where it gave up, which is often the line
 * after the slip; these hints name the line to edit. Empty when no hint fits (the parser's words stay).
 */
final class SyntaxHint {

    private final String[] lines;

    private SyntaxHint(String yaml) {
        this.lines = yaml.split("\r\n|\r|\n", -1);
    }

    static Optional<SpecException> of(String yaml, Path file, MarkedYamlEngineException e) {
        try {
            return hint(yaml, file, e);
        } catch (RuntimeException unexpected) {
            // A hint is a courtesy: whatever trips it, the parser's own words are still right.
            return Optional.empty();
        }
    }

    private static Optional<SpecException> hint(String yaml, Path file, MarkedYamlEngineException e) {
        Optional<Mark> problem = e.getProblemMark();
        if (problem.isEmpty()) {
            return Optional.empty();
        }
        SyntaxHint hint = new SyntaxHint(yaml);
        int line = problem.get().getLine();
        String what = e.getProblem() == null ? "" : e.getProblem();
        if (what.contains("(TAB)")) {
            return Optional.of(hint.error(file, line, "line " + (line + 1) + ": this line is indented with a tab; "
                    + "YAML indents with spaces only: replace the tab with spaces"));
        }
        if (what.startsWith("could not find expected ':'") && e.getContextMark().isPresent()) {
            return hint.missingColon(file, e.getContextMark().get().getLine());
        }
        if (what.startsWith("mapping values are not allowed here")) {
            if (hint.before(line, problem.get().getColumn()).contains(": ")) {
                return Optional.of(hint.error(file, line, "line " + (line + 1) + ": a value that contains ': ' "
                        + "must be quoted: write it in double quotes"));
            }
            int previous = hint.previousContent(line);
            if (previous >= 0 && indent(hint.lines[previous]) == indent(hint.lines[line])
                    && !hint.lines[previous].contains(":")) {
                return hint.missingColon(file, previous);
            }
            return hint.indentation(file, line);
        }
        if (what.startsWith("expected <block end>")) {
            return hint.indentation(file, line);
        }
        return Optional.empty();
    }

    /** Line {@code line} (0-based) names a key without the colon after it. */
    private Optional<SpecException> missingColon(Path file, int line) {
        if (line < 0 || line >= lines.length) {
            return Optional.empty();
        }
        String content = lines[line].strip();
        String dash = content.startsWith("- ") ? "- " : "";
        String rest = content.substring(dash.length());
        int space = rest.indexOf(' ');
        if (rest.contains(":") || space <= 0) {
            return Optional.empty();
        }
        String fixed = dash + rest.substring(0, space) + ": " + rest.substring(space + 1).strip();
        return Optional.of(error(file, line, "line " + (line + 1) + ": `" + content + "` has no colon after its key: write `"
                + fixed + "`"));
    }

    /**
     * Line {@code line} sits at an indentation no block has: the line it most likely belongs with is the
     * open block (the previous line, or one that encloses it) whose key, or list dash for a list item,
     * is nearest to its indentation.
     */
    private Optional<SpecException> indentation(Path file, int line) {
        if (line >= lines.length || lines[line].isBlank()) {
            return Optional.empty();
        }
        int column = indent(lines[line]);
        boolean item = lines[line].strip().startsWith("-");
        int best = -1;
        int bestAnchor = -1;
        int enclosing = Integer.MAX_VALUE;
        for (int i = previousContent(line); i >= 0; i = previousContent(i)) {
            int own = indent(lines[i]);
            if (own >= enclosing) {
                continue;
            }
            enclosing = own;
            int anchor = item ? (lines[i].strip().startsWith("- ") ? own : -1) : keyColumn(lines[i]);
            if (anchor >= 0 && (best < 0 || Math.abs(anchor - column) < Math.abs(bestAnchor - column))) {
                best = i;
                bestAnchor = anchor;
            }
            if (own == 0) {
                break;
            }
        }
        if (best < 0 || bestAnchor == column) {
            return Optional.empty();
        }
        return Optional.of(error(file, line, "line " + (line + 1) + ": check the indentation of this line: it must line up with `"
                + anchorText(lines[best], bestAnchor) + "` on line " + (best + 1)));
    }

    /** Where the key of a line starts, after any list dashes. */
    private static int keyColumn(String line) {
        int i = indent(line);
        while (line.startsWith("- ", i)) {
            i = indent(line, i + 2);
        }
        return i;
    }

    /** The line's text from {@code column} up to its first key colon, e.g. {@code activation:} or {@code - units:}. */
    private static String anchorText(String line, int column) {
        String text = line.substring(column);
        int colon = text.indexOf(": ");
        if (colon < 0 && text.strip().endsWith(":")) {
            colon = text.strip().length() - 1;
        }
        return colon < 0 ? text.strip() : text.substring(0, colon + 1);
    }

    private String before(int line, int column) {
        if (line >= lines.length) {
            return "";
        }
        String text = lines[line];
        int start = keyColumn(text);
        return start < Math.min(column, text.length()) ? text.substring(start, Math.min(column, text.length())) : "";
    }

    /** The nearest line above {@code line} with something on it other than a comment; -1 if none. */
    private int previousContent(int line) {
        for (int i = Math.min(line, lines.length) - 1; i >= 0; i--) {
            String text = lines[i].strip();
            if (!text.isEmpty() && !text.startsWith("#")) {
                return i;
            }
        }
        return -1;
    }

    private static int indent(String line) {
        return indent(line, 0);
    }

    private static int indent(String line, int from) {
        int i = from;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private SpecException error(Path file, int line, String problem) {
        int column = line < lines.length ? indent(lines[line]) + 1 : 1;
        return new SpecException(file, line + 1, column, "", "invalid YAML: " + problem);
    }
}
