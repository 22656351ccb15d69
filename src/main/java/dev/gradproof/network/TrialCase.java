package dev.gradproof.network;

import dev.gradproof.spec.Spec;

/**
 * A trial ready to check, with where it came from.
 *
 * @param spec   the spec, its network narrowed if the recipe narrowed it
 * @param trial  parameters and data
 * @param recipe how to draw it again
 */
public record TrialCase(Spec spec, Trial trial, TrialRecipe recipe) {

    /** Size of the case, for "the shrunk counterexample is smaller" statements. */
    public long size() {
        return (long) trial.data().examples() * trial.theta().length;
    }

    @Override
    public String toString() {
        return spec.name() + " [" + recipe + "]";
    }
}
