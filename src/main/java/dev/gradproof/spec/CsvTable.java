package dev.gradproof.spec;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The examples of a spec's csv file, read and validated once when the spec is loaded: inputs and
 * targets row-major, after the label's encoding and the standardization the spec asks for. Immutable:
 * every accessor returns a copy.
 *
 * @see CsvSection the keys that shape it (specs/README.md, section data)
 */
@API(status = INTERNAL, since = "0.2")
public final class CsvTable {

    private final Path file;
    private final int examples;
    private final int inputs;
    private final int outputs;
    private final double[] x;
    private final double[] y;
    private final int[] inputColumns;
    private final int labelColumn;
    private final double[] mean;
    private final double[] std;

    CsvTable(Path file, int examples, int inputs, int outputs, double[] x, double[] y, int[] inputColumns,
             int labelColumn, double[] mean, double[] std) {
        if ((long) examples * inputs != x.length || (long) examples * outputs != y.length) {
            throw new IllegalArgumentException("csv table shape");
        }
        this.file = file;
        this.examples = examples;
        this.inputs = inputs;
        this.outputs = outputs;
        this.x = x;
        this.y = y;
        this.inputColumns = inputColumns;
        this.labelColumn = labelColumn;
        this.mean = mean;
        this.std = std;
    }

    /** The file, resolved against the spec's folder. */
    public Path file() {
        return file;
    }

    public int examples() {
        return examples;
    }

    public int inputs() {
        return inputs;
    }

    public int outputs() {
        return outputs;
    }

    /** Example n's inputs at {@code [n*inputs, n*inputs + inputs)}, standardized if the spec says so. */
    public double[] x() {
        return x.clone();
    }

    /** Example n's targets at {@code [n*outputs, n*outputs + outputs)}: one-hot rows for a one-hot label. */
    public double[] y() {
        return y.clone();
    }

    /** The file's columns (from 0) that became the inputs, in input order. */
    public int[] inputColumns() {
        return inputColumns.clone();
    }

    /** The label's column, or -1 when the targets are the columns after the inputs. */
    public int labelColumn() {
        return labelColumn;
    }

    public boolean standardized() {
        return mean != null;
    }

    /** Per input, the mean over the rows read that standardization subtracted; null when not standardized. */
    public double[] mean() {
        return mean == null ? null : mean.clone();
    }

    /**
     * Per input, the population standard deviation it divided by; a constant column keeps 1 here (it is
     * only centred, to 0). Null when not standardized.
     */
    public double[] std() {
        return std == null ? null : std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CsvTable t && file.equals(t.file) && examples == t.examples && inputs == t.inputs
                && outputs == t.outputs && labelColumn == t.labelColumn && Arrays.equals(x, t.x) && Arrays.equals(y, t.y)
                && Arrays.equals(inputColumns, t.inputColumns) && Arrays.equals(mean, t.mean) && Arrays.equals(std, t.std);
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, examples, inputs, outputs, labelColumn, Arrays.hashCode(x), Arrays.hashCode(y));
    }

    @Override
    public String toString() {
        return "CsvTable[" + file + ", " + examples + " rows, " + inputs + " inputs, " + outputs + " outputs"
                + (labelColumn >= 0 ? ", label column " + labelColumn : "") + (standardized() ? ", standardized" : "")
                + "]";
    }
}
