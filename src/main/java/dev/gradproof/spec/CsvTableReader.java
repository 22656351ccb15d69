package dev.gradproof.spec;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import dev.gradproof.spec.LossSpec.LossType;

/**
 * One read of a spec's csv file into a {@link CsvTable}: the header, the layout from the first data row,
 * then every row checked and kept, then standardization. The keys that shape it are read by
 * {@link CsvSection}; every problem is a {@link SpecException} on {@code data.csv} (or on the key that
 * does not fit the file) naming the file, line and column.
 */
final class CsvTableReader {

    /** How the label column becomes targets. */
    enum Kind { VALUE, BINARY, ONE_HOT }

    /** {@code data.label}: {@code column} from 0, or -1 for {@code last}; {@code classes} for one-hot, else 1. */
    record Label(Field columnField, int column, Kind kind, int classes) {
    }

    /** Java's largest array, with the headroom some JVMs keep. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

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

    CsvTableReader(Field csv, Path file, NetworkSpec network, LossSpec loss, Limits limits, Integer header, Label label,
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
                        ? " after its " + CsvSection.plural(header, "header line") : ""));
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
                    + "of %s (line %d has %s)", labelColumn, width - 1, file, line, CsvSection.plural(width, "column")));
        }
        if (inputColumns != null) {
            for (int c : inputColumns) {
                if (c >= width) {
                    throw inputColumnsField.error(String.format(Locale.ROOT, "column %d is beyond the last column "
                            + "(%d) of %s (line %d has %s)", c, width - 1, file, line, CsvSection.plural(width, "column")));
                }
                if (c == labelColumn) {
                    throw inputColumnsField.error("column " + c + " is the label's; an input cannot be its own target");
                }
            }
            return;
        }
        if (width - 1 != inputs) {
            throw csv.error(String.format(Locale.ROOT, "%s line %d has %s: %s besides the label (column %d); "
                    + "the network has %s (choose them with input_columns)", file, line, CsvSection.plural(width, "column"),
                    CsvSection.plural(width - 1, "input"), labelColumn, CsvSection.plural(inputs, "input")));
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
                    file, line, row.length, inputs + outputs, CsvSection.plural(inputs, "input"), CsvSection.plural(outputs, "output")));
        }
        throw csv.error(String.format(Locale.ROOT, "%s line %d has %s; line %d, the first data row, has %d",
                file, line, CsvSection.plural(row.length, "column"), firstLine, width));
    }

    private void add(int line, String[] row) throws SpecException {
        checkWidth(line, row);
        if ((long) (rows + 1) * Math.max(inputs, outputs) > MAX_ARRAY) {
            throw csv.error(String.format(Locale.ROOT, "%s: %,d rows of %s are more than one Java array holds",
                    file, rows + 1, CsvSection.plural(Math.max(inputs, outputs), "value")));
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
        return Arrays.copyOf(a, (int) Math.min(grown, MAX_ARRAY));
    }

    private static double[] trim(double[] a, long length) {
        return a.length == length ? a : Arrays.copyOf(a, (int) length);
    }
}
