package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.api.Trial;
import dev.gradproof.spec.Spec;

import org.apiguardian.api.API;

/**
 * One trial of a layer graph ready to check: the (possibly narrowed) spec, its drawn parameters and
 * data, and the recipe that draws it again.
 */
@API(status = INTERNAL, since = "0.2")
public record GraphTrialCase(Spec spec, GraphCase drawn, GraphRecipe drawnBy) implements Trial {

    @Override
    public String recipe() {
        return drawnBy.toString();
    }

    @Override
    public int examples() {
        return drawn.data().examples();
    }

    @Override
    public int parameters() {
        return drawn.theta().length;
    }

    @Override
    public String toString() {
        return spec.name() + " [" + drawnBy + "]";
    }
}
