package dev.gradproof.spec;

import java.util.Set;

/**
 * What to check.
 *
 * @param trials      independent draws of weights and data
 * @param oracles     subset of {@code exact, finite_difference}; the analytic gradient is always the one under test
 * @param tolerance   null for {@code auto} (derived per parameter from precision and the computation),
 *                    otherwise a fixed relative tolerance
 * @param parameters  0 for all parameters, otherwise a deterministic sample of that many
 * @param shrinkUnits whether a failing trial may be shrunk to narrower hidden layers
 */
public record CheckSpec(int trials, Set<String> oracles, Double tolerance, int parameters, boolean shrinkUnits) {

    public static final String EXACT = "exact";
    public static final String FINITE_DIFFERENCE = "finite_difference";

    public CheckSpec {
        oracles = Set.copyOf(oracles);
    }

    public CheckSpec(int trials, Set<String> oracles, Double tolerance, int parameters) {
        this(trials, oracles, tolerance, parameters, false);
    }

    public static CheckSpec defaults() {
        return new CheckSpec(3, Set.of(EXACT, FINITE_DIFFERENCE), null, 0);
    }

    public boolean uses(String oracle) {
        return oracles.contains(oracle);
    }

    public CheckSpec withTrials(int newTrials) {
        return new CheckSpec(newTrials, oracles, tolerance, parameters, shrinkUnits);
    }
}
