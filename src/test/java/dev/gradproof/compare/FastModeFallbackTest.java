package dev.gradproof.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradproof.api.Verdict;
import dev.gradproof.network.graph.GraphCase;
import dev.gradproof.network.graph.GraphForward;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.spec.BundledSpecs;
import dev.gradproof.spec.Spec;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A fast-mode trial where no direction can decide (every projection within the projected tolerance of
 * zero) is judged parameter by parameter instead of being reported as "nothing was compared". It
 * happens for real on LeNet-5 under the float32 contract: the per-parameter bounds of its first
 * convolution are about 2 against gradients of 1e-3, and summed over every parameter they cover
 * every projection (docs/TOLERANCE.md).
 */
class FastModeFallbackTest {

    private static ParameterResult direction(int trial, double value, double tol, Status s) {
        return new ParameterResult("v1", -1, 0, false, trial, value, Double.NaN, value, 0, 0, 0, tol, s, null);
    }

    private static ParameterResult parameter(int trial) {
        return new ParameterResult("W1[0,0]", 0, 1, false, trial, 1, Double.NaN, 1, 0, 1e-9, 0, 1e-9, Status.OK, null);
    }

    @Test
    void aDirectionDecidesOnlyWhenAProjectionLeavesTheToleranceOrDisagrees() {
        assertTrue(DirectionalCheck.undecidedAlongEveryDirection(List.of(direction(0, 1, 2, Status.OK),
                direction(0, 0.5, 1, Status.OK), direction(0, 3, 1, Status.INCONCLUSIVE))));
        assertFalse(DirectionalCheck.undecidedAlongEveryDirection(List.of(direction(0, 1, 2, Status.OK),
                direction(0, 3, 1, Status.OK))));
        assertFalse(DirectionalCheck.undecidedAlongEveryDirection(List.of(direction(0, 1, 2, Status.MISMATCH))));
        assertFalse(DirectionalCheck.undecidedAlongEveryDirection(List.of()));
    }

    @Test
    void theFindingSaysWhichTrialsFellBackAndWhy() {
        List<ParameterResult> kinkTrial = List.of(parameter(0));
        List<ParameterResult> looseTrial = List.of(direction(1, 1, 2, Status.OK), parameter(1));
        List<ParameterResult> projected = List.of(direction(2, 3, 1, Status.OK));
        assertEquals(List.of(), SpecChecker.fastModeFallbacks(projected));
        assertEquals(List.of("fast mode: 1 trial(s) checked exhaustively instead, because a ReLU-like unit sits"
                + " exactly on its kink, where a projection cannot tell a derivative convention from a bug",
                "fast mode: 1 trial(s) judged parameter by parameter against the exact gradient instead, because the"
                        + " projected tolerance (every parameter's summed) covered every projection, so no direction"
                        + " could decide"),
                SpecChecker.fastModeFallbacks(concat(kinkTrial, looseTrial, projected)));
    }

    @SafeVarargs
    private static List<ParameterResult> concat(List<ParameterResult>... parts) {
        return java.util.Arrays.stream(parts).flatMap(List::stream).toList();
    }

    /** The reference gradient, declared float32's (so judged under its unit roundoff), times {@code factor} on one tensor. */
    private static GraphTrialCheck.Analytic float32(double factor) {
        return new GraphTrialCheck.Analytic() {
            @Override
            public double[] gradient(GraphNetwork g, double[] theta, GraphCase c, GraphForward f) {
                double[] grad = g.gradient(theta, c.data(), f);
                var last = g.layout().tensors().get(g.layout().tensors().size() - 2); // the output layer's weight
                for (int p = last.offset(); p < last.offset() + last.size(); p++) {
                    grad[p] *= factor;
                }
                return grad;
            }

            @Override
            public double unitRoundoff() {
                return UnderTest.FLOAT32;
            }
        };
    }

    @Test
    void float32OnLeNet5IsJudgedParameterByParameterAndStillCatchesABug() {
        Spec s = BundledSpecs.load("specs/architectures/lenet5.yaml");
        Spec fast = s.withCheck(s.check().withTrials(1).withDirections(8));
        SpecResult ok = GraphSpecChecker.run(fast, float32(1), SpecChecker.Progress.NONE, Shard.ALL);
        assertEquals(Verdict.PASS, ok.verdict(), () -> ok.error() + " " + ok.findings());
        assertTrue(ok.all().stream().anyMatch(r -> r.layer() > 0), "judged parameter by parameter");
        assertTrue(ok.findings().stream().anyMatch(f -> f.startsWith("fast mode: 1 trial(s) judged parameter by")),
                ok.findings()::toString);
        SpecResult bad = GraphSpecChecker.run(fast, float32(1 + 1e-3), SpecChecker.Progress.NONE, Shard.ALL);
        assertEquals(Verdict.MISMATCH, bad.verdict(), () -> bad.error() + " " + bad.findings());
    }
}
