package dev.gradproof.spec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.DoublePredicate;
import java.util.function.Function;

import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * One YAML node together with its dotted path ({@code network.layers[1].units}) so that every typed read
 * can fail with the file, line, column and field a user needs to fix it.
 */
final class Field {

    private static final String CORE = "tag:yaml.org,2002:";

    private final Node node;
    private final String path;
    private final Path file;

    Field(Node node, String path, Path file) {
        this.node = node;
        this.path = path;
        this.file = file;
    }

    Node node() {
        return node;
    }

    String path() {
        return path;
    }

    Path file() {
        return file;
    }

    Field child(String key, Node value) {
        return new Field(value, path.isEmpty() ? key : path + "." + key, file);
    }

    SpecException error(String problem) {
        return errorAt(node.getStartMark(), problem);
    }

    SpecException errorAt(Optional<Mark> mark, String problem) {
        return new SpecException(file, mark.map(m -> m.getLine() + 1).orElse(0),
                mark.map(m -> m.getColumn() + 1).orElse(0), path, problem);
    }

    /**
     * An error at column {@code column} (1-based) of this scalar's text, e.g. inside an expression. The
     * file column is exact when the scalar sits on one line without escapes (raw length = value length);
     * otherwise the error points at the scalar and the problem text still names the column.
     */
    SpecException errorInText(int column, String problem) {
        if (node instanceof ScalarNode scalar && node.getStartMark().isPresent() && node.getEndMark().isPresent()) {
            Mark start = node.getStartMark().get();
            Mark end = node.getEndMark().get();
            String value = scalar.getValue();
            int raw = end.getIndex() - start.getIndex();
            int length = value.codePointCount(0, value.length());
            int offset = -1;
            if (start.getLine() == end.getLine()) {
                if (scalar.getScalarStyle() == ScalarStyle.PLAIN && raw == length) {
                    offset = 0;
                } else if ((scalar.getScalarStyle() == ScalarStyle.DOUBLE_QUOTED
                        || scalar.getScalarStyle() == ScalarStyle.SINGLE_QUOTED) && raw == length + 2) {
                    offset = 1;
                }
            }
            if (offset >= 0) {
                int chars = Math.max(0, Math.min(column - 1, value.length()));
                int col = start.getColumn() + 1 + offset + value.codePointCount(0, chars);
                return new SpecException(file, start.getLine() + 1, col, path, problem);
            }
        }
        return error(problem);
    }

    boolean isMap() {
        return node instanceof MappingNode;
    }

    boolean isList() {
        return node instanceof SequenceNode;
    }

    /** A whole number 0 or more, written in decimal digits (a padding, a size). */
    int positiveOrZero() throws SpecException {
        BigInteger value = integer("a whole number >= 0");
        String text = node instanceof ScalarNode scalar ? scalar.getValue().trim() : "";
        if (value.signum() < 0 || value.bitLength() > 31 || !text.replaceFirst("^\\+", "").chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw error("expected a whole number >= 0 in decimal digits, got " + describe());
        }
        return value.intValueExact();
    }

    boolean isScalar() {
        return node instanceof ScalarNode;
    }

    boolean isNull() {
        return node instanceof ScalarNode && "null".equals(tag());
    }

    /** The scalar's text, for comparing against words like {@code auto}; null for lists and maps. */
    String scalarText() {
        return node instanceof ScalarNode scalar && !isNull() ? scalar.getValue() : null;
    }

    private String tag() {
        String tag = node.getTag().getValue();
        return tag.startsWith(CORE) ? tag.substring(CORE.length()) : tag;
    }

    /** How a value is shown after "got": numbers as written, strings quoted, containers by kind. */
    String describe() {
        if (node instanceof MappingNode) {
            return "a map";
        }
        if (node instanceof SequenceNode seq) {
            return seq.getValue().isEmpty() ? "an empty list" : "a list";
        }
        String value = ((ScalarNode) node).getValue();
        return switch (tag()) {
            case "str" -> Scalars.quote(value);
            case "null" -> value.isEmpty() ? "nothing" : value;
            default -> value.length() > 40 ? value.substring(0, 37) + "..." : value;
        };
    }

    Fields map() throws SpecException {
        if (!isMap()) {
            throw error("expected a map, got " + describe());
        }
        return Fields.of(this);
    }

    /**
     * Like {@link #map()}; a scalar {@code KEY VALUE} whose KEY is one of {@code keys} is a map of one key
     * whose colon was left out ({@code type squared_error} under {@code loss:}), and is told so.
     */
    Fields map(List<String> keys) throws SpecException {
        String text = scalarText();
        if (!isMap() && text != null && "str".equals(tag())) {
            String[] parts = text.strip().split(" +", 2);
            if (parts.length == 2 && keys.contains(parts[0])) {
                throw error("expected a map, got " + describe() + " (is the colon missing? write `" + parts[0] + ": "
                        + parts[1] + "`)");
            }
        }
        return map();
    }

    /**
     * Like {@link #map(List)}, for a section with one obvious key: a scalar that is, or is close to, one of
     * {@code values} is answered with the map it was probably meant as ({@code loss: {type: mse}}).
     */
    Fields map(String key, List<String> values, List<String> keys) throws SpecException {
        String text = scalarText();
        if (isMap() || text == null) {
            return map(keys);
        }
        List<String> meant = values.contains(text) ? List.of(text) : Scalars.close(text, values);
        if (meant.isEmpty() || text.contains(" ")) {
            return map(keys);
        }
        String section = path.substring(path.lastIndexOf('.') + 1);
        List<String> maps = meant.stream().map(v -> "`" + section + ": {" + key + ": " + v + "}`").toList();
        throw error("expected a map, got " + describe() + " (did you mean " + String.join(" or ", maps) + "?)");
    }

    List<Field> list(String expectation) throws SpecException {
        if (!(node instanceof SequenceNode seq)) {
            throw error("expected " + expectation + ", got " + describe());
        }
        List<Field> items = new ArrayList<>(seq.getValue().size());
        for (Node item : seq.getValue()) {
            items.add(new Field(item, path + "[" + items.size() + "]", file));
        }
        return items;
    }

    /** Text of a string scalar; numbers count too, as written (an expression may be just {@code 0}). */
    String text() throws SpecException {
        String tag = tag();
        if (node instanceof ScalarNode scalar && (tag.equals("str") || tag.equals("int") || tag.equals("float"))) {
            return scalar.getValue();
        }
        throw error("expected a string, got " + describe());
    }

    String oneOf(String... options) throws SpecException {
        String text = scalarText();
        if (text != null && Arrays.asList(options).contains(text)) {
            return text;
        }
        String problem = "expected one of " + String.join(", ", options) + ", got " + describe();
        throw error(text == null ? problem : problem + Scalars.didYouMean(text, Arrays.asList(options)));
    }

    boolean bool() throws SpecException {
        if (node instanceof ScalarNode scalar && tag().equals("bool")) {
            String text = scalar.getValue().toLowerCase(Locale.ROOT);
            if (text.equals("true") || text.equals("false")) {
                return text.equals("true");
            }
        }
        throw error("expected true or false, got " + describe());
    }

    /** A finite number that satisfies {@code ok}; {@code expectation} says what was wanted, e.g. "a number > 0". */
    double number(String expectation, DoublePredicate ok) throws SpecException {
        Number n = numeric();
        if (n == null) {
            throw error("expected " + expectation + ", got " + describe());
        }
        double value = n.doubleValue();
        if (!Double.isFinite(value)) {
            throw error("expected a finite number, got " + describe());
        }
        if (!ok.test(value)) {
            throw error("expected " + expectation + ", got " + describe());
        }
        return value;
    }

    double number() throws SpecException {
        return number("a number", x -> true);
    }

    /** An integer, exactly; {@code 3.0} counts, {@code 3.5} and {@code .inf} do not. */
    BigInteger integer(String expectation) throws SpecException {
        Number n = numeric();
        if (n instanceof BigInteger exact) {
            return exact;
        }
        double value = n == null ? Double.NaN : n.doubleValue();
        if (!Double.isFinite(value) || value != Math.rint(value)) {
            throw error("expected " + expectation + ", got " + describe());
        }
        return new BigDecimal(value).toBigInteger();
    }

    int positiveInt() throws SpecException {
        return (int) count(Integer.MAX_VALUE,
                n -> String.format(Locale.ROOT, "expected a positive integer up to %,d, got %s", Integer.MAX_VALUE, describe()));
    }

    /**
     * A positive integer at most {@code limit}; {@code tooMany} words the refusal from the formatted value.
     * Counts are written in decimal digits: {@code 3.0}, {@code 0x3} and {@code 0o3} are refused (YAML
     * reads them as numbers, but a count written so is more likely a slip than a wish).
     */
    long count(long limit, Function<String, String> tooMany) throws SpecException {
        BigInteger value = integer("a positive integer");
        if (value.signum() <= 0) {
            throw error("expected a positive integer, got " + describe());
        }
        if (value.compareTo(BigInteger.valueOf(limit)) > 0) {
            // Grouped digits read well up to long range; beyond that (1e30) the text as written reads better.
            throw error(tooMany.apply(value.bitLength() < 64 ? String.format(Locale.ROOT, "%,d", value) : describe()));
        }
        String text = node instanceof ScalarNode scalar ? scalar.getValue().trim() : "";
        String digits = text.startsWith("+") ? text.substring(1) : text;
        if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw error("expected a positive integer in decimal digits, got " + describe() + " (write " + value + ")");
        }
        return value.longValueExact();
    }

    long anyLong() throws SpecException {
        BigInteger value = integer("an integer");
        if (value.bitLength() > 63) {
            throw error(String.format(Locale.ROOT, "expected an integer between %,d and %,d, got %s",
                    Long.MIN_VALUE, Long.MAX_VALUE, describe()));
        }
        return value.longValueExact();
    }

    /** BigInteger for ints, Double (maybe non-finite) for floats, null for anything else. */
    private Number numeric() {
        if (!(node instanceof ScalarNode scalar)) {
            return null;
        }
        String text = scalar.getValue().trim();
        String tag = tag();
        if (tag.equals("int")) {
            return Scalars.parseInteger(text);
        }
        if (tag.equals("float")) {
            return Scalars.parseFloat(text);
        }
        return null;
    }


}
