package dev.gradproof.jqwik;

import dev.gradproof.network.TrialCase;
import dev.gradproof.network.TrialRecipe;
import dev.gradproof.spec.Spec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Shrinkable;

import java.util.function.Predicate;

/**
 * jqwik arbitraries of a spec's trials: weights, inputs and targets drawn as the spec says, shrunk
 * on failure to fewer examples, simpler numbers and (with {@code check.shrink_units}) narrower layers.
 *
 * <pre>{@code
 * @Provide Arbitrary<TrialCase> trials() { return Trials.of(SPEC); }
 *
 * @Property(tries = 20)
 * void gradientIsRight(@ForAll("trials") TrialCase trial) {
 *     assertThatGradient(new MyNet()).agreesWith(trial);
 * }
 * }</pre>
 */
public final class Trials {
    private Trials() {
    }

    public static Arbitrary<TrialCase> of(Spec spec) {
        int examples = TrialRecipe.exampleCount(spec);
        return Arbitraries.fromGenerator(random -> {
            TrialRecipe full = TrialRecipe.full(spec, 0);
            return new TrialShrinkable(spec, new TrialRecipe(random.nextLong(), examples, full.digits(), full.units()),
                    spec.check().shrinkUnits());
        });
    }

    /** Trial t of the spec exactly as {@code gradproof check} draws it, ready to shrink. */
    public static Shrinkable<TrialCase> trial(Spec spec, int t) {
        return new TrialShrinkable(spec, TrialRecipe.full(spec, t), spec.check().shrinkUnits());
    }

    /** The trial a recipe describes (e.g. one printed with a failure), ready to shrink. */
    public static Shrinkable<TrialCase> trial(Spec spec, TrialRecipe recipe) {
        return new TrialShrinkable(spec, recipe, spec.check().shrinkUnits());
    }

    /**
     * Shrinks a failing case outside the jqwik engine (e.g. in a dynamic test), with the same
     * candidates the engine would try: repeatedly take the first smaller candidate that still fails.
     *
     * @param stillFails true when a candidate reproduces the failure
     * @param maxSteps   bound on accepted shrinking steps
     */
    public static Shrinkable<TrialCase> shrink(Shrinkable<TrialCase> failing, Predicate<TrialCase> stillFails,
                                               int maxSteps) {
        Shrinkable<TrialCase> current = failing;
        for (int step = 0; step < maxSteps; step++) {
            Shrinkable<TrialCase> next = current.shrink().filter(c -> stillFails.test(c.value())).findFirst().orElse(null);
            if (next == null) {
                break;
            }
            current = next;
        }
        return current;
    }
}
