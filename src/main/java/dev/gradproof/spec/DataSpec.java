package dev.gradproof.spec;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.nio.file.Path;
import org.apiguardian.api.API;

/**
 * The examples a loss is evaluated on. Exactly one source: random draws ({@code inputs} and
 * {@code targets}), a named {@code generator}, or a {@code csv} file.
 *
 * @param examples  number of examples (rows); for csv, the rows read
 * @param inputs    input distribution for random draws
 * @param targets   target kind for random draws
 * @param generator named toy set, null when random or csv
 * @param noise     generator noise (two_moons jitter, regression noise)
 * @param csv       csv file, resolved against the spec's folder; null otherwise
 * @param table     the csv file's examples, read when the spec was loaded; null exactly when csv is
 */
@API(status = INTERNAL, since = "0.2")
public record DataSpec(int examples, Distribution inputs, Targets targets, Generator generator, double noise,
                       Path csv, CsvTable table) {

    public DataSpec {
        if ((csv == null) != (table == null)) {
            throw new IllegalArgumentException("a csv source needs its table, read by SpecLoader; got csv=" + csv
                    + ", table=" + table);
        }
    }

    /**
     * Random draws or a generator; {@code csv} must be null (kept for callers written before the table:
     * a csv source comes only from {@link SpecLoader}, which reads the file).
     */
    public DataSpec(int examples, Distribution inputs, Targets targets, Generator generator, double noise, Path csv) {
        this(examples, inputs, targets, generator, noise, csv, null);
    }

    public enum Generator {
        XOR("xor"), TWO_MOONS("two_moons"), SINE("sine"), NORMAL_REGRESSION("normal_regression");

        private final String yamlName;

        Generator(String yamlName) {
            this.yamlName = yamlName;
        }

        public String yamlName() {
            return yamlName;
        }
    }

    /** Targets: {@code one_hot} (one 1 per row), {@code binary} (each 0 or 1), {@code real} (drawn from {@code distribution}), {@code constant} ({@code value}). */
    public record Targets(String kind, Distribution distribution, double value) {
    }
}
