package dev.gradproof.spec;

import java.math.BigInteger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.gradproof.spec.CsvTableReader.Kind;
import dev.gradproof.spec.LossSpec.LossType;

/**
 * {@code data: {csv, header, label, input_columns, standardize, examples}}: the keys, checked against
 * the network and the loss, and then the whole file, read once at load time (so a spec whose data
 * cannot be used never loads, and a check never reads a file twice). Format: specs/README.md.
 */
final class CsvSection {

    /** Keys that only a csv source takes. */
    static final List<String> KEYS = List.of("header", "label", "input_columns", "standardize");

    /** More header lines than this are no header. */
    static final int MAX_HEADER = 1000;

    private CsvSection() {
    }

    static DataSpec read(Fields map, NetworkSpec network, LossSpec loss, Limits limits, Path specFile,
                         int examples) throws SpecException {
        for (String key : new String[] {"inputs", "targets"}) {
            if (map.has(key)) {
                throw map.keyError(key, "the csv file supplies the " + key + "; remove '" + key + "'");
            }
        }
        Field csv = map.get("csv");
        Path file = resolve(csv, specFile);
        Integer header = map.has("header") ? header(map.get("header")) : null;
        CsvTableReader.Label label = map.has("label") ? label(map.get("label"), network, loss) : null;
        int[] inputColumns = null;
        if (map.has("input_columns")) {
            if (label == null) {
                throw map.keyError("input_columns", "input_columns needs a label; without one the file's first "
                        + network.inputs() + " columns are the inputs and the rest the targets");
            }
            inputColumns = columns(map.get("input_columns"), network.inputs());
        }
        boolean standardize = map.has("standardize") && map.get("standardize").bool();
        Field examplesField = map.get("examples");
        CsvTable table = new CsvTableReader(csv, file, network, loss, limits, header, label, inputColumns, standardize,
                map.get("input_columns"), examples).run();
        if (examples > 0 && table.examples() < examples) {
            throw examplesField.error(String.format(Locale.ROOT, "%s has %,d data row%s; examples asks for %,d", file,
                    table.examples(), table.examples() == 1 ? "" : "s", examples));
        }
        return new DataSpec(table.examples(), null, null, null, 0, file, table);
    }

    private static Path resolve(Field field, Path specFile) throws SpecException {
        String text = field.text();
        if (text.isBlank()) {
            throw field.error("expected a file path, got " + field.describe());
        }
        try {
            Path given = Path.of(text);
            Path folder = specFile == null ? null : specFile.getParent();
            return folder == null ? given : folder.resolve(given);
        } catch (InvalidPathException e) {
            throw field.error("not a valid path: " + Scalars.quote(text));
        }
    }

    private static int header(Field field) throws SpecException {
        BigInteger n = field.integer("the number of header lines, 0 to " + MAX_HEADER);
        if (n.signum() < 0 || n.compareTo(BigInteger.valueOf(MAX_HEADER)) > 0) {
            throw field.error("expected the number of header lines, 0 to " + MAX_HEADER + ", got " + field.describe());
        }
        return n.intValue();
    }

    private static CsvTableReader.Label label(Field field, NetworkSpec network, LossSpec loss) throws SpecException {
        Fields map = field.map().allow("column", "one_hot", "binary");
        Field columnField = map.require("column");
        int column;
        if ("last".equals(columnField.scalarText())) {
            column = -1;
        } else {
            BigInteger c = columnField.integer("last or a column number (from 0)");
            if (c.signum() < 0 || c.bitLength() > 31) {
                throw columnField.error("expected last or a column number (from 0), got " + columnField.describe());
            }
            column = c.intValue();
        }
        if (map.has("one_hot") && map.has("binary")) {
            throw map.keyError("binary", "give one encoding, not both 'one_hot' and 'binary'");
        }
        int outputs = network.outputs();
        if (map.has("one_hot")) {
            Field oneHot = map.get("one_hot");
            BigInteger k = oneHot.integer("a number of classes >= 2");
            if (k.compareTo(BigInteger.TWO) < 0) {
                throw oneHot.error("expected a number of classes >= 2, got " + oneHot.describe());
            }
            if (k.compareTo(BigInteger.valueOf(outputs)) != 0) {
                throw oneHot.error(String.format(Locale.ROOT, "%s classes need %s outputs; the network has %s",
                        oneHot.describe(), oneHot.describe(), plural(outputs, "output")));
            }
            return new CsvTableReader.Label(columnField, column, Kind.ONE_HOT, outputs);
        }
        Kind kind = map.has("binary") && map.get("binary").bool() ? Kind.BINARY : Kind.VALUE;
        if (loss.type() == LossType.SOFTMAX_CROSS_ENTROPY) {
            throw field.error("softmax_cross_entropy needs one_hot targets; give the number of classes as one_hot");
        }
        if (outputs != 1) {
            throw field.error(String.format(Locale.ROOT, "a %s label makes 1 output; the network has %d outputs "
                    + "(one_hot: %d makes %d)", kind == Kind.BINARY ? "binary" : "single-value", outputs, outputs, outputs));
        }
        return new CsvTableReader.Label(columnField, column, kind, 1);
    }

    /** {@code input_columns}: a column, a range {@code "A-B"}, or a list of both; exactly {@code inputs} columns. */
    private static int[] columns(Field field, int inputs) throws SpecException {
        List<Field> items = field.isScalar() ? List.of(field)
                : field.list("a column number, a range such as \"0-29\", or a list of them");
        Set<Integer> seen = new LinkedHashSet<>();
        for (Field item : items) {
            int from;
            int to;
            String text = item.scalarText();
            if (text != null && text.matches("\\d{1,9}\\s*-\\s*\\d{1,9}")) {
                String[] ends = text.split("-");
                from = Integer.parseInt(ends[0].strip());
                to = Integer.parseInt(ends[1].strip());
                if (to < from) {
                    throw item.error("the range " + Scalars.quote(text) + " ends before it starts");
                }
            } else {
                BigInteger c = item.integer("a column number (from 0) or a range such as \"0-29\"");
                if (c.signum() < 0 || c.bitLength() > 31) {
                    throw item.error("expected a column number (from 0) or a range such as \"0-29\", got "
                            + item.describe());
                }
                from = c.intValue();
                to = from;
            }
            if (seen.size() + (long) to - from + 1 > inputs) {
                throw field.error(String.format(Locale.ROOT, "lists more than %d columns; the network has %s",
                        inputs, plural(inputs, "input")));
            }
            for (int c = from; c <= to; c++) {
                if (!seen.add(c)) {
                    throw item.error("column " + c + " is listed twice");
                }
            }
        }
        if (seen.size() != inputs) {
            throw field.error(String.format(Locale.ROOT, "lists %s; the network has %s", plural(seen.size(), "column"),
                    plural(inputs, "input")));
        }
        return seen.stream().mapToInt(Integer::intValue).toArray();
    }

    static String plural(long n, String word) {
        return String.format(Locale.ROOT, "%,d %s%s", n, word, n == 1 ? "" : "s");
    }
}
