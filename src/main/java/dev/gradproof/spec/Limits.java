package dev.gradproof.spec;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Locale;
import org.apiguardian.api.API;

/**
 * Size limits that keep a broken or hostile spec from exhausting memory or time. Every size is checked
 * while the spec is read, before anything of that size is allocated, in long arithmetic.
 *
 * @param maxParameters weights and biases of the whole network
 * @param maxExamples   examples in the data set
 * @param maxUnits      units of one layer (and network inputs)
 * @param maxLayers     layers of the network
 * @param maxFileBytes  size of the spec file in bytes
 * @param maxAliases    YAML aliases to lists or maps (the billion-laughs guard)
 * @param maxTrials     trials of one spec
 * @param maxDirections directions of the fast (directional) check
 * @param maxMemory     bytes one trial may need (see {@link Footprint}); by default three quarters of what
 *                      this JVM may allocate, which is raised with {@code JAVA_OPTS=-Xmx...}
 */
@API(status = INTERNAL, since = "0.2")
public record Limits(long maxParameters, int maxExamples, int maxUnits, int maxLayers, int maxFileBytes,
                     int maxAliases, int maxTrials, int maxDirections, long maxMemory) {

    /** What each limit is called on the command line, for messages that say how to raise it. */
    public static final String PARAMETERS_OPTION = "--max-parameters";
    public static final String EXAMPLES_OPTION = "--max-examples";
    public static final String UNITS_OPTION = "--max-units";
    public static final String LAYERS_OPTION = "--max-layers";
    public static final String TRIALS_OPTION = "--max-trials";
    public static final String DIRECTIONS_OPTION = "--max-directions";

    public Limits {
        if (maxParameters <= 0 || maxExamples <= 0 || maxUnits <= 0 || maxLayers <= 0 || maxFileBytes <= 0
                || maxAliases < 0 || maxTrials <= 0 || maxDirections <= 0 || maxMemory <= 0) {
            throw new IllegalArgumentException("limits must be positive: " + this);
        }
    }

    public Limits(long maxParameters, int maxExamples, int maxUnits, int maxLayers, int maxFileBytes, int maxAliases) {
        this(maxParameters, maxExamples, maxUnits, maxLayers, maxFileBytes, maxAliases, DEFAULT.maxTrials,
                DEFAULT.maxDirections, DEFAULT.maxMemory);
    }

    private static final Limits DEFAULT = new Limits(10_000_000L, 1_000_000, 100_000, 64, 1 << 20, 50, 10_000, 10_000,
            Runtime.getRuntime().maxMemory() / 4 * 3);

    public static Limits defaults() {
        return DEFAULT;
    }

    public Limits withMaxParameters(long value) {
        return new Limits(value, maxExamples, maxUnits, maxLayers, maxFileBytes, maxAliases, maxTrials, maxDirections, maxMemory);
    }

    public Limits withMaxExamples(int value) {
        return new Limits(maxParameters, value, maxUnits, maxLayers, maxFileBytes, maxAliases, maxTrials, maxDirections, maxMemory);
    }

    public Limits withMaxUnits(int value) {
        return new Limits(maxParameters, maxExamples, value, maxLayers, maxFileBytes, maxAliases, maxTrials, maxDirections, maxMemory);
    }

    public Limits withMaxLayers(int value) {
        return new Limits(maxParameters, maxExamples, maxUnits, value, maxFileBytes, maxAliases, maxTrials, maxDirections, maxMemory);
    }

    public Limits withMaxFileBytes(int value) {
        return new Limits(maxParameters, maxExamples, maxUnits, maxLayers, value, maxAliases, maxTrials, maxDirections, maxMemory);
    }

    public Limits withMaxAliases(int value) {
        return new Limits(maxParameters, maxExamples, maxUnits, maxLayers, maxFileBytes, value, maxTrials, maxDirections, maxMemory);
    }

    public Limits withMaxTrials(int value) {
        return new Limits(maxParameters, maxExamples, maxUnits, maxLayers, maxFileBytes, maxAliases, value, maxDirections, maxMemory);
    }

    public Limits withMaxDirections(int value) {
        return new Limits(maxParameters, maxExamples, maxUnits, maxLayers, maxFileBytes, maxAliases, maxTrials, value, maxMemory);
    }

    public Limits withMaxMemory(long value) {
        return new Limits(maxParameters, maxExamples, maxUnits, maxLayers, maxFileBytes, maxAliases, maxTrials, maxDirections, value);
    }

    /** {@code 1,000,000 trials exceed the limit of 10,000 (raise it with --max-trials)}. */
    static String exceeds(String what, long limit, String option) {
        return String.format(Locale.ROOT, "%s exceed the limit of %,d (raise it with %s)", what, limit, option);
    }
}
