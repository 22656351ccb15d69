package dev.gradproof.spec;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Set;
import org.apiguardian.api.API;

/**
 * What to check.
 *
 * @param trials      independent draws of weights and data
 * @param oracles     subset of {@code exact, finite_difference}; the analytic gradient is always the one under test
 * @param tolerance   null for {@code auto} (derived per parameter from precision and the computation),
 *                    otherwise a fixed relative tolerance
 * @param parameters  0 for all parameters, otherwise a deterministic sample of that many
 * @param shrinkUnits whether a failing trial may be shrunk to narrower hidden layers
 * @param directions  0 for the exhaustive check (every selected parameter); k > 0 for the fast
 *                    directional check along k random directions
 * @param layers      the layers (from 1) whose parameters are checked; empty for every layer
 */
@API(status = INTERNAL, since = "0.2")
public record CheckSpec(int trials, Set<String> oracles, Double tolerance, int parameters, boolean shrinkUnits,
                        int directions, Set<Integer> layers) {

    public static final String EXACT = "exact";
    public static final String FINITE_DIFFERENCE = "finite_difference";

    public CheckSpec {
        oracles = Set.copyOf(oracles);
        layers = Set.copyOf(layers);
    }

    public CheckSpec(int trials, Set<String> oracles, Double tolerance, int parameters, boolean shrinkUnits,
                     int directions) {
        this(trials, oracles, tolerance, parameters, shrinkUnits, directions, Set.of());
    }

    /** Whether layer l (from 1) is checked. */
    public boolean checks(int layer) {
        return layers.isEmpty() || layers.contains(layer);
    }

    public CheckSpec withLayers(Set<Integer> newLayers) {
        return new CheckSpec(trials, oracles, tolerance, parameters, shrinkUnits, directions, newLayers);
    }

    public CheckSpec withOracles(Set<String> newOracles) {
        return new CheckSpec(trials, newOracles, tolerance, parameters, shrinkUnits,
                directions, layers);
    }

    public CheckSpec withTolerance(Double newTolerance) {
        return new CheckSpec(trials, oracles, newTolerance, parameters, shrinkUnits, directions, layers);
    }

    public CheckSpec(int trials, Set<String> oracles, Double tolerance, int parameters) {
        this(trials, oracles, tolerance, parameters, false, 0);
    }

    public CheckSpec(int trials, Set<String> oracles, Double tolerance, int parameters, boolean shrinkUnits) {
        this(trials, oracles, tolerance, parameters, shrinkUnits, 0);
    }

    public boolean directional() {
        return directions > 0;
    }

    public CheckSpec withDirections(int k) {
        return new CheckSpec(trials, oracles, tolerance, parameters, shrinkUnits, k, layers);
    }

    public CheckSpec withParameters(int sample) {
        return new CheckSpec(trials, oracles, tolerance, sample, shrinkUnits, directions, layers);
    }

    public static CheckSpec defaults() {
        return new CheckSpec(3, Set.of(EXACT, FINITE_DIFFERENCE), null, 0);
    }

    public boolean uses(String oracle) {
        return oracles.contains(oracle);
    }

    public CheckSpec withTrials(int newTrials) {
        return new CheckSpec(newTrials, oracles, tolerance, parameters, shrinkUnits, directions, layers);
    }
}
