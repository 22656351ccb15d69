package dev.gradproof.cli;

import dev.gradproof.spec.Limits;
import picocli.CommandLine.Option;

/** The resource limits a command accepts, shared as a picocli mixin; each must be a positive number. */
final class LimitOptions {

    @Option(names = Limits.PARAMETERS_OPTION, paramLabel = "N",
            description = "Largest network accepted, in parameters (default 10,000,000).")
    Long maxParameters;

    @Option(names = Limits.EXAMPLES_OPTION, paramLabel = "N", description = "Most examples accepted (default 1,000,000).")
    Integer maxExamples;

    @Option(names = Limits.UNITS_OPTION, paramLabel = "N", description = "Widest layer accepted (default 100,000).")
    Integer maxUnits;

    @Option(names = Limits.LAYERS_OPTION, paramLabel = "N", description = "Deepest network accepted (default 64).")
    Integer maxLayers;

    @Option(names = Limits.TRIALS_OPTION, paramLabel = "N", description = "Most trials of one spec (default 10,000).")
    Integer maxTrials;

    @Option(names = Limits.DIRECTIONS_OPTION, paramLabel = "N",
            description = "Most directions of the fast check (default 10,000).")
    Integer maxDirections;

    /**
     * The limits asked for.
     *
     * @throws IllegalArgumentException naming the option, when a value is not positive
     */
    Limits limits() {
        Limits l = Limits.defaults();
        if (maxParameters != null) {
            l = l.withMaxParameters(positive(Limits.PARAMETERS_OPTION, maxParameters));
        }
        if (maxExamples != null) {
            l = l.withMaxExamples((int) positive(Limits.EXAMPLES_OPTION, maxExamples));
        }
        if (maxUnits != null) {
            l = l.withMaxUnits((int) positive(Limits.UNITS_OPTION, maxUnits));
        }
        if (maxLayers != null) {
            l = l.withMaxLayers((int) positive(Limits.LAYERS_OPTION, maxLayers));
        }
        if (maxTrials != null) {
            l = l.withMaxTrials((int) positive(Limits.TRIALS_OPTION, maxTrials));
        }
        if (maxDirections != null) {
            l = l.withMaxDirections((int) positive(Limits.DIRECTIONS_OPTION, maxDirections));
        }
        return l;
    }

    private static long positive(String option, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, got " + value);
        }
        return value;
    }
}
