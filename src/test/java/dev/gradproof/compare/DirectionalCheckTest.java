package dev.gradproof.compare;

import dev.gradproof.api.Specs;
import dev.gradproof.compare.SpecChecker.Implementation;
import dev.gradproof.mutants.Mutant;
import dev.gradproof.mutants.Mutants;
import dev.gradproof.spec.Spec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast mode loses nothing: small localized bugs that the exhaustive check catches are caught
 * along a few random directions too, and correct gradients pass.
 */
class DirectionalCheckTest {
    private static final List<String> SPECS = List.of("specs/ng-check-nn-gradients.yaml", "specs/tanh-tutorial-fixed.yaml",
            "specs/softmax-cross-entropy.yaml", "specs/relu-network.yaml", "specs/sine-regression.yaml",
            "specs/l2-with-biases.yaml", "specs/leaky-relu.yaml", "specs/elu.yaml");

    private static Spec directional(String file) {
        Spec s = Specs.load(file);
        return s.withCheck(s.check().withDirections(8));
    }

    /** The reference gradient with one change applied to it: a bug of a known size and place. */
    private static Implementation bugged(java.util.function.Consumer<double[]> bug) {
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
            int p = dev.gradproof.network.NetworkFactory.layout(s.network()).trainable().get(0);
            SpecResult r = SpecChecker.run(s, bugged(g -> g[p] *= 1 + 1e-4), SpecChecker.Progress.NONE);
            // where g[p] is exactly 0 (a dead ReLU unit) a relative bug is no bug
            SpecResult exhaustive = SpecChecker.run(Specs.load(f), bugged(g -> g[p] *= 1 + 1e-4), SpecChecker.Progress.NONE);
            assertEquals(exhaustive.verdict(), r.verdict(), f + ": fast mode must agree with the exhaustive check");
        }
    }

    @Test
    void twoSwappedRowsAreCaught() {
        Spec s = directional("specs/ng-check-nn-gradients.yaml");
        var layout = dev.gradproof.network.NetworkFactory.layout(s.network());
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
            Spec exhaustive = Specs.load(f);
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
                assertTrue(fast.verdict() == Verdict.MISMATCH || fast.verdict() == Verdict.FORWARD_DIFFERS,
                        m.name() + " on " + f + ": exhaustive mismatch, fast " + fast.verdict());
                compared++;
            }
        }
        assertTrue(compared > 40, "compared " + compared + " mutant-spec pairs");
    }
}
