package dev.gradproof.spec;

/**
 * Size limits that keep a broken or hostile spec from exhausting memory or time. Every size is checked
 * while the spec is read, before anything of that size is allocated.
 *
 * @param maxParameters weights and biases of the whole network
 * @param maxExamples   examples in the data set
 * @param maxUnits      units of one layer (and network inputs)
 * @param maxLayers     layers of the network
 * @param maxFileBytes  size of the spec file in bytes
 * @param maxAliases    YAML aliases to lists or maps (the billion-laughs guard)
 */
public record Limits(long maxParameters, int maxExamples, int maxUnits, int maxLayers, int maxFileBytes,
                     int maxAliases) {

    public Limits {
        if (maxParameters <= 0 || maxExamples <= 0 || maxUnits <= 0 || maxLayers <= 0 || maxFileBytes <= 0
                || maxAliases < 0) {
            throw new IllegalArgumentException("limits must be positive: " + this);
        }
    }

    public static Limits defaults() {
        return new Limits(10_000_000L, 1_000_000, 100_000, 64, 1 << 20, 50);
    }

    public Limits withMaxParameters(long value) {
        return new Limits(value, maxExamples, maxUnits, maxLayers, maxFileBytes, maxAliases);
    }

    public Limits withMaxExamples(int value) {
        return new Limits(maxParameters, value, maxUnits, maxLayers, maxFileBytes, maxAliases);
    }

    public Limits withMaxUnits(int value) {
        return new Limits(maxParameters, maxExamples, value, maxLayers, maxFileBytes, maxAliases);
    }

    public Limits withMaxLayers(int value) {
        return new Limits(maxParameters, maxExamples, maxUnits, value, maxFileBytes, maxAliases);
    }

    public Limits withMaxFileBytes(int value) {
        return new Limits(maxParameters, maxExamples, maxUnits, maxLayers, value, maxAliases);
    }

    public Limits withMaxAliases(int value) {
        return new Limits(maxParameters, maxExamples, maxUnits, maxLayers, maxFileBytes, value);
    }
}
