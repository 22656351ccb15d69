package dev.gradproof.spec;

import java.nio.file.Path;

/**
 * The examples a loss is evaluated on. Exactly one source: random draws ({@code inputs} and
 * {@code targets}), a named {@code generator}, or a {@code csv} file.
 *
 * @param examples  number of examples (rows); for csv, the number of rows read (all when 0)
 * @param inputs    input distribution for random draws
 * @param targets   target kind for random draws
 * @param generator named toy set, null when random or csv
 * @param noise     generator noise (two_moons jitter, regression noise)
 * @param csv       csv file, resolved against the spec's folder; null otherwise
 */
public record DataSpec(int examples, Distribution inputs, Targets targets, Generator generator, double noise,
                       Path csv) {

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
