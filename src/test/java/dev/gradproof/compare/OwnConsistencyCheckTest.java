package dev.gradproof.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradproof.spec.BundledSpecs;
import dev.gradproof.network.Dataset;
import dev.gradproof.network.Forward;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.NetworkFactory;
import dev.gradproof.network.TrialData;
import dev.gradproof.network.TrialRecipe;
import dev.gradproof.oracle.CentralDifferenceOracle;
import dev.gradproof.oracle.ExactOracle;
import dev.gradproof.spec.Spec;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import dev.gradproof.network.Activations;

/** The implementation's own finite differences: all parameters within the budget, a named sample beyond it. */
class OwnConsistencyCheckTest {

    /** The reference as a black box with its own forward pass, counting the perturbed losses it is asked for. */
    private static TrialCheck.Analytic blackBox(Mlp mlp, double[] theta, Dataset data, AtomicInteger asked) {
        return new TrialCheck.Analytic() {
            public double[] gradient(double[] t, Dataset d, Forward f) {
                return mlp.gradient(t, d);
            }

            public OptionalDouble ownLoss() {
                return OptionalDouble.of(mlp.loss(theta, data));
            }

            public double[] ownLosses(double[] t, Dataset d, int[] params, double[] deltas) {
                asked.addAndGet(params.length);
                double[] out = new double[params.length];
                for (int q = 0; q < params.length; q++) {
                    double[] moved = t.clone();
                    moved[params[q]] += deltas[q];
                    out[q] = mlp.loss(moved, d);
                }
                return out;
            }
        };
    }

    @Test
    void beyondTheBudgetASampleOfEveryLayerAndRowIsCheckedAndNamed() {
        Spec spec = BundledSpecs.load("specs/ng-check-nn-gradients.yaml");
        Mlp mlp = NetworkFactory.build(spec);
        TrialData trial = TrialRecipe.full(spec, 0).materialize(spec).trial();
        double[] theta = trial.theta();
        Dataset data = trial.data();
        Forward f = mlp.forward(theta, data);
        var exact = ExactOracle.compute(mlp, theta, data, f);
        double[] analytic = mlp.gradient(theta, data, f);
        int[] all = TrialCheck.select(mlp.layout(), 0, 0);
        List<ParameterResult> results = TrialCheck.run(mlp, (t, d, ff) -> mlp.gradient(t, d, ff), trial, all,
                TrialCheck.Options.defaults(), null);
        double perLoss = (double) data.examples() * mlp.layout().total();

        AtomicInteger asked = new AtomicInteger();
        Consistency full = OwnConsistencyCheck.run(blackBox(mlp, theta, data, asked), mlp.layout(), theta, data, f, exact,
                analytic, results, Activations.U, CentralDifferenceOracle.SMOOTH_STEP, 4 * perLoss * 1000);
        assertEquals(all.length, full.ownChecked());
        assertEquals(all.length, full.ownEligible());
        assertTrue(full.ownSample().isEmpty());
        assertEquals(4 * all.length, asked.get());

        asked.set(0);
        int affordable = 12;
        Consistency sampled = OwnConsistencyCheck.run(blackBox(mlp, theta, data, asked), mlp.layout(), theta, data, f,
                exact, analytic, results, Activations.U, CentralDifferenceOracle.SMOOTH_STEP,
                4 * perLoss * affordable);
        assertEquals(affordable, sampled.ownChecked());
        assertEquals(all.length, sampled.ownEligible());
        assertEquals(4 * affordable, asked.get(), "only the sample's perturbed losses are asked for");
        assertEquals(affordable, sampled.ownSample().size());
        Set<String> groups = sampled.ownSample().stream().map(n -> n.replaceAll("\\[.*", "")).collect(Collectors.toSet());
        assertEquals(Set.of("W1", "b1", "W2", "b2"), groups, "every layer's weights and biases: " + sampled.ownSample());
        assertTrue(sampled.ownDisagreeing().isEmpty());

        List<String> findings = ConsistencyFindings.describe(List.of(sampled), results, data.examples(), 3);
        assertTrue(findings.get(0).startsWith("own consistency sampled: 12 of " + all.length + " parameter-trials"), findings.get(0));
    }
}
