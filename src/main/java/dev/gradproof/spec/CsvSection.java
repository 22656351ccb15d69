package dev.gradproof.spec;

import java.math.BigInteger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

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

    /** Java's largest array, with the headroom some JVMs keep. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private enum Kind { VALUE, BINARY, ONE_HOT }

    /** {@code column}: from 0, or -1 for {@code last}. */
    private record Label(Field field, Field columnField, int column, Kind kind, int classes) {
    }

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
        Label label = map.has("label") ? label(map.get("label"), network, loss) : null;
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
        CsvTable table = new Loading(csv, file, network, loss, limits, header, label, inputColumns, standardize,
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

    private static Label label(Field field, NetworkSpec network, LossSpec loss) throws SpecException {
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
            return new Label(field, columnField, column, Kind.ONE_HOT, outputs);
        }
        Kind kind = map.has("binary") && map.get("binary").bool() ? Kind.BINARY : Kind.VALUE;
        if (loss.type() == LossType.SOFTMAX_CROSS_ENTROPY) {
            throw field.error("softmax_cross_entropy needs one_hot targets; give the number of classes as one_hot");
        }
        if (outputs != 1) {
            throw field.error(String.format(Locale.ROOT, "a %s label makes 1 output; the network has %d outputs "
                    + "(one_hot: %d makes %d)", kind == Kind.BINARY ? "binary" : "single-value", outputs, outputs, outputs));
        }
        return new Label(field, columnField, column, kind, 1);
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

    /** One read of the file: header, layout from the first data row, then every row checked and kept. */
    private static final class Loading {
        private final Field csv;
        private final Path file;
        private final LossType loss;
        private final Limits limits;
        private final Integer header;
        private final Label label;
        private final boolean standardize;
        private final Field inputColumnsField;
        private final int examples;
        private final int inputs;
        private final int outputs;
        private int[] inputColumns;
        private int labelColumn = -1;
        private int width;
        private int firstLine;
        private String[] names;
        private double[] x = new double[0];
        private double[] y = new double[0];
        private int rows;

        Loading(Field csv, Path file, NetworkSpec network, LossSpec loss, Limits limits, Integer header, Label label,
                int[] inputColumns, boolean standardize, Field inputColumnsField, int examples) {
            this.csv = csv;
            this.file = file;
            this.loss = loss.type();
            this.limits = limits;
            this.header = header;
            this.label = label;
            this.inputColumns = inputColumns;
            this.standardize = standardize;
            this.inputColumnsField = inputColumnsField;
            this.examples = examples;
            this.inputs = network.inputs();
            this.outputs = network.outputs();
        }

        CsvTable run() throws SpecException {
            try (CsvReader reader = CsvReader.open(csv, file)) {
                String[] row = first(reader);
                if (row == null) {
                    throw csv.error(file + " has no data rows" + (header != null && header > 0
                            ? " after its " + plural(header, "header line") : ""));
                }
                layout(reader.line(), row);
                int limit = examples > 0 ? examples : limits.maxExamples();
                for (; row != null; row = rows == limit ? null : reader.next()) {
                    add(reader.line(), row);
                }
                if (examples == 0 && reader.next() != null) {
                    throw csv.error(String.format(Locale.ROOT, "%s has more than %,d data rows, the limit (raise it "
                            + "with --max-examples, or read the first rows only with examples: N)", file, limit));
                }
            }
            double[] mean = null;
            double[] std = null;
            if (standardize) {
                mean = new double[inputs];
                std = new double[inputs];
                standardize(mean, std);
            }
            return new CsvTable(file, rows, inputs, outputs, trim(x, (long) rows * inputs), trim(y, (long) rows * outputs),
                    inputColumns, labelColumn, mean, std);
        }

        /** The first data row: after the header lines given, or after a first row with no number in it. */
        private String[] first(CsvReader reader) throws SpecException {
            if (header != null) {
                for (int i = 0; i < header; i++) {
                    if (reader.nextLine() == null) {
                        return null;
                    }
                }
                return reader.next();
            }
            String[] row = reader.next();
            if (row == null) {
                return null;
            }
            int numeric = -1;
            int text = -1;
            for (int c = 0; c < row.length; c++) {
                if (CsvReader.looksNumeric(row[c])) {
                    numeric = numeric < 0 ? c : numeric;
                } else if (!row[c].isEmpty()) { // an empty cell is a missing number or a nameless column
                    text = text < 0 ? c : text;
                }
            }
            if (numeric < 0 && text >= 0) {
                names = row;
                return reader.next();
            }
            if (numeric >= 0 && text >= 0) {
                // Half numbers, half words: a header with counts in it (sklearn's "569,30,malignant,benign"),
                // or a data row with a bad cell. Skipping it could drop an example; reading it could fail
                // later with a confusing message. The spec says which.
                throw csv.error(String.format(Locale.ROOT, "%s line %d mixes numbers (%s in column %d) and text "
                        + "(%s in column %d): if it is a header, say 'header: 1'; if it is data, fix column %d",
                        file, reader.line(), Scalars.quote(row[numeric]), numeric, Scalars.quote(row[text]), text, text));
            }
            return row;
        }

        private void layout(int line, String[] row) throws SpecException {
            width = row.length;
            firstLine = line;
            if (names != null && names.length != width) {
                names = null;
            }
            if (label == null) {
                checkWidth(line, row);
                inputColumns = new int[inputs];
                for (int j = 0; j < inputs; j++) {
                    inputColumns[j] = j;
                }
                return;
            }
            labelColumn = label.column() < 0 ? width - 1 : label.column();
            if (labelColumn >= width) {
                throw label.columnField().error(String.format(Locale.ROOT, "column %d is beyond the last column (%d) "
                        + "of %s (line %d has %s)", labelColumn, width - 1, file, line, plural(width, "column")));
            }
            if (inputColumns != null) {
                for (int c : inputColumns) {
                    if (c >= width) {
                        throw inputColumnsField.error(String.format(Locale.ROOT, "column %d is beyond the last column "
                                + "(%d) of %s (line %d has %s)", c, width - 1, file, line, plural(width, "column")));
                    }
                    if (c == labelColumn) {
                        throw inputColumnsField.error("column " + c + " is the label's; an input cannot be its own target");
                    }
                }
                return;
            }
            if (width - 1 != inputs) {
                throw csv.error(String.format(Locale.ROOT, "%s line %d has %s: %s besides the label (column %d); "
                        + "the network has %s (choose them with input_columns)", file, line, plural(width, "column"),
                        plural(width - 1, "input"), labelColumn, plural(inputs, "input")));
            }
            inputColumns = new int[inputs];
            for (int c = 0, j = 0; c < width; c++) {
                if (c != labelColumn) {
                    inputColumns[j++] = c;
                }
            }
        }

        private void checkWidth(int line, String[] row) throws SpecException {
            if (row.length == width && (label != null || width == inputs + outputs)) {
                return;
            }
            if (label == null) {
                throw csv.error(String.format(Locale.ROOT, "%s line %d has %d columns; the network needs %d (%s + %s)",
                        file, line, row.length, inputs + outputs, plural(inputs, "input"), plural(outputs, "output")));
            }
            throw csv.error(String.format(Locale.ROOT, "%s line %d has %s; line %d, the first data row, has %d",
                    file, line, plural(row.length, "column"), firstLine, width));
        }

        private void add(int line, String[] row) throws SpecException {
            checkWidth(line, row);
            if ((long) (rows + 1) * Math.max(inputs, outputs) > MAX_ARRAY) {
                throw csv.error(String.format(Locale.ROOT, "%s: %,d rows of %s are more than one Java array holds",
                        file, rows + 1, plural(Math.max(inputs, outputs), "value")));
            }
            x = room(x, (long) (rows + 1) * inputs);
            y = room(y, (long) (rows + 1) * outputs);
            int xo = rows * inputs;
            for (int j = 0; j < inputs; j++) {
                x[xo + j] = number(line, row, inputColumns[j]);
            }
            int yo = rows * outputs;
            if (label == null) {
                double sum = 0;
                for (int i = 0; i < outputs; i++) {
                    double v = number(line, row, inputs + i);
                    targetInRange(line, row, inputs + i, v);
                    y[yo + i] = v;
                    sum += v;
                }
                // Decimal targets that sum to 1 as written may miss 1 by a few roundings: one per
                // conversion and one per addition, each at most eps/2 relative of a value at most 1.
                if (loss == LossType.SOFTMAX_CROSS_ENTROPY && Math.abs(sum - 1) > outputs * Math.ulp(1.0)) {
                    throw csv.error(String.format(Locale.ROOT, "%s line %d: the targets (columns %d-%d) sum to %s; "
                            + "softmax_cross_entropy needs each row to sum to 1", file, line, inputs,
                            inputs + outputs - 1, Double.toString(sum)));
                }
            } else {
                double v = number(line, row, labelColumn);
                switch (label.kind()) {
                    case ONE_HOT -> {
                        if (v != Math.rint(v) || v < 0 || v >= outputs) {
                            throw csv.error(String.format(Locale.ROOT, "%s: label %s is not one of the %d classes 0 to %d",
                                    at(line, labelColumn), row[labelColumn], outputs, outputs - 1));
                        }
                        y[yo + (int) v] = 1;
                    }
                    case BINARY -> {
                        if (v != 0 && v != 1) {
                            throw csv.error(String.format(Locale.ROOT, "%s: label %s is not binary (0 or 1)",
                                    at(line, labelColumn), row[labelColumn]));
                        }
                        y[yo] = v;
                    }
                    default -> {
                        targetInRange(line, row, labelColumn, v);
                        y[yo] = v;
                    }
                }
            }
            rows++;
        }

        private void targetInRange(int line, String[] row, int column, double v) throws SpecException {
            if (loss == LossType.BINARY_CROSS_ENTROPY && (v < 0 || v > 1)) {
                throw csv.error(at(line, column) + ": target " + row[column]
                        + " is outside [0, 1], which binary_cross_entropy needs");
            }
            if (loss == LossType.SOFTMAX_CROSS_ENTROPY && v < 0) {
                throw csv.error(at(line, column) + ": target " + row[column] + " is negative; softmax_cross_entropy "
                        + "needs targets that are probabilities");
            }
        }

        private double number(int line, String[] row, int column) throws SpecException {
            double v = CsvReader.finite(row[column]);
            if (Double.isNaN(v)) {
                throw csv.error(at(line, column) + ": " + CsvReader.notANumber(row[column]));
            }
            return v;
        }

        /** {@code FILE line 7, column 3 ('x4')}: columns from 0, like label.column; the header's name if known. */
        private String at(int line, int column) {
            return file + " line " + line + ", column " + column + (names == null ? "" : " (" + Scalars.quote(names[column]) + ")");
        }

        /**
         * Population mean and standard deviation per input over the rows read, then z = (x - mean) / std.
         * A constant column is only centred (std kept 1): dividing its rounding noise would invent a feature.
         */
        private void standardize(double[] mean, double[] std) {
            for (int j = 0; j < inputs; j++) {
                boolean constant = true;
                double sum = 0;
                for (int n = 0; n < rows; n++) {
                    sum += x[n * inputs + j];
                    constant &= x[n * inputs + j] == x[j];
                }
                if (constant) {
                    mean[j] = x[j];
                    std[j] = 1;
                } else {
                    double m = sum / rows;
                    double squares = 0;
                    for (int n = 0; n < rows; n++) {
                        double d = x[n * inputs + j] - m;
                        squares += d * d;
                    }
                    mean[j] = m;
                    std[j] = Math.sqrt(squares / rows);
                }
                for (int n = 0; n < rows; n++) {
                    x[n * inputs + j] = (x[n * inputs + j] - mean[j]) / std[j];
                }
            }
        }

        /** {@code a}, grown by doubling to hold {@code need} values (need is within one array, checked). */
        private static double[] room(double[] a, long need) {
            if (need <= a.length) {
                return a;
            }
            long grown = Math.max(need, Math.max(16, 2L * a.length));
            return java.util.Arrays.copyOf(a, (int) Math.min(grown, MAX_ARRAY));
        }

        private static double[] trim(double[] a, long length) {
            return a.length == length ? a : java.util.Arrays.copyOf(a, (int) length);
        }
    }
}
