package dev.gradproof.compare;

import dev.gradproof.api.Verdict;
import dev.gradproof.spec.BundledSpecs;
import dev.gradproof.compare.SpecChecker.Implementation;
import dev.gradproof.mutants.Mutant;
import dev.gradproof.mutants.Mutants;
import dev.gradproof.spec.Spec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.gradproof.network.Activations;
import dev.gradproof.network.NetworkFactory;
import dev.gradproof.network.TrialRecipe;
import dev.gradproof.oracle.DirectionalOracle;
import dev.gradproof.oracle.ExactOracle;
import java.util.function.Consumer;

/**
 * The fast mode loses nothing: small localized bugs that the exhaustive check catches are caught
 * along a few random directions too, and correct gradients pass.
 */
class DirectionalCheckTest {
    private static final List<String> SPECS = List.of("specs/ng-check-nn-gradients.yaml", "specs/tanh-tutorial-fixed.yaml",
            "specs/softmax-cross-entropy.yaml", "specs/relu-network.yaml", "specs/sine-regression.yaml",
            "specs/l2-with-biases.yaml", "specs/leaky-relu.yaml", "specs/elu.yaml");

    private static Spec directional(String file) {
        Spec s = BundledSpecs.load(file);
        return s.withCheck(s.check().withDirections(8));
    }

    /** The reference gradient with one change applied to it: a bug of a known size and place. */
    private static Implementation bugged(Consumer<double[]> bug) {
        return (spec, mlp) -> (theta, data, f) -> {
            double[] g = mlp.gradient(theta, data, f);
            bug.accept(g);
            return g;
        };
    }

    @Test
    void correctGradientsPass() {
        for (String f : SPECS) {
            SpecResult r = SpecChecker.run(directional(f), SpecChecker.Progress.NONE);
            assertEquals(Verdict.PASS, r.verdict(), f + ": " + r.mismatches() + r.inconclusiveResults());
            boolean directionsOnly = r.all().stream().allMatch(x -> x.layer() == 0);
            boolean fellBack = r.findings().stream().anyMatch(x -> x.startsWith("fast mode: "));
            assertTrue(directionsOnly ? r.all().size() == 8 * r.trials() : fellBack,
                    f + ": one result per direction and trial, or a stated fallback to the exhaustive check");
            assertEquals(f.contains("relu-network"), fellBack, f + ": only the network built to sit on kinks falls back");
        }
    }

    @Test
    void oneParameterOffByOnePartInTenThousandIsCaught() {
        for (String f : SPECS) {
            Spec s = directional(f);
            int p = NetworkFactory.layout(s.network()).trainable().get(0);
            SpecResult r = SpecChecker.run(s, bugged(g -> g[p] *= 1 + 1e-4), SpecChecker.Progress.NONE);
            // where g[p] is exactly 0 (a dead ReLU unit) a relative bug is no bug
            SpecResult exhaustive = SpecChecker.run(BundledSpecs.load(f), bugged(g -> g[p] *= 1 + 1e-4), SpecChecker.Progress.NONE);
            assertEquals(exhaustive.verdict(), r.verdict(), f + ": fast mode must agree with the exhaustive check");
        }
    }

    @Test
    void twoSwappedRowsAreCaught() {
        Spec s = directional("specs/ng-check-nn-gradients.yaml");
        var layout = NetworkFactory.layout(s.network());
        int in = layout.size(0);
        int w = layout.weightOffset(0);
        SpecResult r = SpecChecker.run(s, bugged(g -> {
            for (int j = 0; j < in; j++) {
                double t = g[w + j];
                g[w + j] = g[w + in + j];
                g[w + in + j] = t;
            }
        }), SpecChecker.Progress.NONE);
        assertEquals(Verdict.MISMATCH, r.verdict());
    }

    @Test
    void everyMutantTheExhaustiveCheckCatchesIsCaughtInFastModeToo() {
        int compared = 0;
        for (String f : SPECS) {
            Spec exhaustive = BundledSpecs.load(f);
            for (Mutant m : Mutants.bugs()) {
                if (!m.applies(exhaustive).applicable()) {
                    continue;
                }
                Implementation impl = UnderTest.of(m.implementation(exhaustive));
                SpecResult full = SpecChecker.run(exhaustive, impl, SpecChecker.Progress.NONE);
                if (full.verdict() != Verdict.MISMATCH) {
                    continue;
                }
                SpecResult fast = SpecChecker.run(directional(f), UnderTest.of(m.implementation(exhaustive)),
                        SpecChecker.Progress.NONE);
                assertEquals(Verdict.MISMATCH, fast.verdict(), m.name() + " on " + f + ": exhaustive mismatch, fast "
                        + fast.verdict());
                compared++;
            }
        }
        assertTrue(compared > 40, "compared " + compared + " mutant-spec pairs");
    }

    /**
     * The rank-one tolerance is the per-parameter tolerance projected: Σ|v_p|·tol_p summed parameter by
     * parameter from the full exact oracle, for the reference (shared forward pass) and for a float32
     * implementation (own forward pass, widened magnitudes), with biases, L2 and a frozen layer.
     * Both take the local-error part E as a widened magnitude minus the plain one; in double with a
     * shared forward pass E is nothing but the rounding noise of those two sums (measured below one ulp
     * of the widened magnitude S), so they may differ by that: the allowance is 8 ulps of S, under a
     * sixth of the tolerance (≥ 2γ_K·S with K ≥ 30), so a missing layer, bias or penalty term still
     * shows. In float32 E is real and the two agree to 1e-9.
     */
    @Test
    void projectedToleranceIsThePerParameterToleranceProjected() {
        for (String f : List.of("specs/ng-check-nn-gradients.yaml", "specs/l2-with-biases.yaml", "specs/frozen-layer.yaml")) {
            Spec s = BundledSpecs.load(f);
            var mlp = NetworkFactory.build(s);
            var trial = TrialRecipe.full(s, 0).materialize(s).trial();
            var f0 = mlp.forward(trial.theta(), trial.data());
            int n = trial.data().examples();
            for (double u : new double[] {Activations.U, 0x1.0p-24}) {
                boolean shared = u == Activations.U;
                var full = ExactOracle.compute(mlp, trial.theta(), trial.data(), f0, u, shared);
                var units = ExactOracle.computeUnits(mlp, trial.theta(), trial.data(), f0, u, shared);
                for (int d = 1; d <= 3; d++) {
                    var dir = DirectionalOracle.direction(mlp.layout(), 7, d);
                    double perParameter = 0;
                    double widened = 0;
                    for (int p = 0; p < dir.flat().length; p++) {
                        int layer = mlp.layout().layerOf(p) + 1;
                        perParameter += Math.abs(dir.flat()[p]) * ToleranceModel.analyticVsExact(full.magnitude()[p],
                                full.localError()[p], 0, ToleranceModel.chainLength(mlp.layout(), layer, n), u);
                        widened += Math.abs(dir.flat()[p]) * (full.magnitude()[p] + full.localError()[p]);
                    }
                    double projected = DirectionalCheck.projectedTolerance(mlp, trial.theta(), units, dir, n, u);
                    double allowance = shared ? 8 * u * widened : 1e-9 * perParameter;
                    assertTrue(allowance < perParameter / 6, f + ": the allowance is well below the tolerance");
                    assertEquals(perParameter, projected, allowance, f + " u=" + u + " v" + d);
                }
            }
        }
    }

    /** The finite-difference sanity check can fail: a harness whose exact side were wrong is told. */
    @Test
    void theSanityCheckSeesAWrongExactSide() {
        Spec s = directional("specs/ng-check-nn-gradients.yaml");
        var mlp = NetworkFactory.build(s);
        var trial = TrialRecipe.full(s, 0).materialize(s).trial();
        var dir = DirectionalOracle.direction(mlp.layout(), trial.seed(), 1);
        assertEquals(null, DirectionalCheck.sanity(mlp, trial, dir, DirectionalCheck.STEP, 0x1.0p-53));
        // The same direction with one weight's entry doubled: the finite difference moves along a
        // different line than the one the exact derivative is taken along.
        double[] flat = dir.flat().clone();
        flat[0] *= 2;
        var skewed = new DirectionalOracle.Direction(dir.u(), dir.w(), dir.c(), flat);
        String problem = DirectionalCheck.sanity(mlp, trial, skewed, DirectionalCheck.STEP, 0x1.0p-53);
        assertTrue(problem != null && problem.startsWith("finite difference along v1 disagrees"), problem);
    }
}
