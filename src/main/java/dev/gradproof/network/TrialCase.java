package dev.gradproof.network;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.api.GradientSpec;
import dev.gradproof.spec.Spec;
import dev.gradproof.api.Trial;
import org.apiguardian.api.API;

/**
 * A trial ready to check, with where it came from.
 *
 * @param spec   the spec, its network narrowed if the recipe narrowed it
 * @param trial  parameters and data
 * @param drawnBy how to draw it again
 */
@API(status = INTERNAL, since = "0.2")
public record TrialCase(Spec spec, TrialData trial, TrialRecipe drawnBy) implements Trial {

    /** The recipe's text form, as {@code --recipe} takes it. */
    @Override
    public String recipe() {
        return drawnBy.toString();
    }

    @Override
    public int examples() {
        return trial.data().examples();
    }

    @Override
    public int parameters() {
        return trial.theta().length;
    }

    /** Size of the case, for "the shrunk counterexample is smaller" statements. */
    public long size() {
        return (long) trial.data().examples() * trial.theta().length;
    }

    @Override
    public String toString() {
        return spec.name() + " [" + drawnBy + "]";
    }
}
