package dev.gradproof.jqwik;

import static org.apiguardian.api.API.Status.INTERNAL;
import static org.apiguardian.api.API.Status.STABLE;

import dev.gradproof.api.GradientSpec;
import dev.gradproof.api.Trial;
import dev.gradproof.network.TrialCase;
import dev.gradproof.network.TrialGenerator;
import dev.gradproof.network.TrialRecipe;
import dev.gradproof.network.graph.GraphRecipe;
import dev.gradproof.network.graph.GraphTrialCase;
import dev.gradproof.spec.Spec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Shrinkable;
import org.apiguardian.api.API;

import java.util.Map;
import java.util.function.Predicate;

/**
 * jqwik arbitraries of a spec's trials: weights, inputs and targets drawn as the spec says, shrunk
 * on failure to fewer examples, simpler numbers and (with {@code check.shrink_units}) narrower layers.
 *
 * <pre>{@code
 * @Provide Arbitrary<Trial> trials() { return Trials.of(SPEC); }
 *
 * @Property(tries = 20)
 * void gradientIsRight(@ForAll("trials") Trial trial) {
 *     assertThatGradient(new MyNet()).agreesWith(trial);
 * }
 * }</pre>
 */
@API(status = STABLE, since = "0.2")
public final class Trials {
    private Trials() {
    }

    /** Trials of the spec, each from a fresh seed; a failing one shrinks to a smaller one that still fails. */
    public static Arbitrary<Trial> of(GradientSpec spec) {
        if (!(spec instanceof Spec s)) {
            throw new IllegalArgumentException("not a spec gradproof loaded: " + spec + " (load one with Specs.load)");
        }
        if (s.network().isGraph()) {
            return Arbitraries.fromGenerator(random -> GraphTrialShrinkable.first(s, random.nextLong()))
                    .map(Trial.class::cast);
        }
        return cases(s).map(Trial.class::cast);
    }

    /** The same as the engine's type. */
    @API(status = INTERNAL, since = "0.2")
    public static Arbitrary<TrialCase> cases(Spec spec) {
        int examples = TrialRecipe.exampleCount(spec);
        return Arbitraries.fromGenerator(random -> {
            TrialRecipe full = TrialRecipe.full(spec, 0);
            return new TrialShrinkable(spec, new TrialRecipe(random.nextLong(), examples, full.digits(), full.units()),
                    spec.check().shrinkUnits());
        });
    }

    /** Trial t of the spec exactly as {@code gradproof check} draws it, ready to shrink. */
    @API(status = INTERNAL, since = "0.2")
    public static Shrinkable<TrialCase> trial(Spec spec, int t) {
        return new TrialShrinkable(spec, TrialRecipe.full(spec, t), spec.check().shrinkUnits());
    }

    /** The trial a recipe describes (e.g. one printed with a failure), ready to shrink. */
    @API(status = INTERNAL, since = "0.2")
    public static Shrinkable<TrialCase> trial(Spec spec, TrialRecipe recipe) {
        return new TrialShrinkable(spec, recipe, spec.check().shrinkUnits());
    }

    /** Trial t of a layer-graph spec exactly as {@code gradproof check} draws it, ready to shrink. */
    @API(status = INTERNAL, since = "0.2")
    public static Shrinkable<GraphTrialCase> graphTrial(Spec spec, int t) {
        return new GraphTrialShrinkable(spec, new GraphRecipe(TrialGenerator.trialSeed(spec.seed(), t), 0, Map.of(), 0));
    }

    /**
     * Shrinks a failing case outside the jqwik engine (e.g. in a dynamic test), with the same
     * candidates the engine would try: repeatedly take the first smaller candidate that still fails.
     *
     * @param stillFails true when a candidate reproduces the failure
     * @param maxSteps   bound on accepted shrinking steps
     */
    @API(status = INTERNAL, since = "0.2")
    public static <T> Shrinkable<T> shrink(Shrinkable<T> failing, Predicate<T> stillFails, int maxSteps) {
        Shrinkable<T> current = failing;
        for (int step = 0; step < maxSteps; step++) {
            Shrinkable<T> next = current.shrink().filter(c -> stillFails.test(c.value())).findFirst().orElse(null);
            if (next == null) {
                break;
            }
            current = next;
        }
        return current;
    }
}
