package dev.gradproof.jqwik;

import dev.gradproof.network.TrialCase;
import dev.gradproof.network.TrialRecipe;
import dev.gradproof.spec.Spec;
import net.jqwik.api.Shrinkable;
import net.jqwik.api.ShrinkingDistance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A trial as jqwik shrinks it: towards fewer examples, fewer significant digits in weights and
 * inputs, and (when the spec allows it) narrower hidden layers. The seed is never shrunk: a
 * counterexample stays a sub-problem of the draw that failed, so "smaller" means smaller.
 */
final class TrialShrinkable implements Shrinkable<TrialCase> {
    private static final int[] DIGIT_STEPS = {1, 2, 3, 6};

    private final Spec spec;
    private final TrialRecipe recipe;
    private final boolean shrinkUnits;
    private TrialCase value;

    TrialShrinkable(Spec spec, TrialRecipe recipe, boolean shrinkUnits) {
        this.spec = spec;
        this.recipe = recipe;
        this.shrinkUnits = shrinkUnits;
    }

    TrialRecipe recipe() {
        return recipe;
    }

    @Override
    public synchronized TrialCase value() {
        if (value == null) {
            value = recipe.materialize(spec);
        }
        return value;
    }

    /** Smallest first: jqwik keeps the first candidate that still fails. */
    @Override
    public Stream<Shrinkable<TrialCase>> shrink() {
        List<TrialRecipe> candidates = new ArrayList<>();
        for (int e : smaller(recipe.examples(), 1)) {
            candidates.add(new TrialRecipe(recipe.seed(), e, recipe.digits(), recipe.units()));
        }
        if (shrinkUnits) {
            int[] units = recipe.units();
            for (int l = 0; l < units.length; l++) {
                for (int u : smaller(units[l], 1)) {
                    int[] narrower = units.clone();
                    narrower[l] = u;
                    candidates.add(new TrialRecipe(recipe.seed(), recipe.examples(), recipe.digits(), narrower));
                }
            }
        }
        for (int d : DIGIT_STEPS) {
            if (d < recipe.digits()) {
                candidates.add(new TrialRecipe(recipe.seed(), recipe.examples(), d, recipe.units()));
            }
        }
        return candidates.stream().map(r -> new TrialShrinkable(spec, r, shrinkUnits));
    }

    /** 1, n/2 and n−1 (those below n), so shrinking halves first and then steps. */
    private static Set<Integer> smaller(int n, int min) {
        Set<Integer> out = new LinkedHashSet<>();
        for (int c : new int[] {min, n / 2, n - 1}) {
            if (c >= min && c < n) {
                out.add(c);
            }
        }
        return out;
    }

    @Override
    public ShrinkingDistance distance() {
        long units = Arrays.stream(recipe.units()).mapToLong(u -> u - 1).sum();
        return ShrinkingDistance.of(recipe.examples() - 1, units, recipe.digits() - 1);
    }

    @Override
    public String toString() {
        return "TrialShrinkable[" + recipe + "]";
    }
}
