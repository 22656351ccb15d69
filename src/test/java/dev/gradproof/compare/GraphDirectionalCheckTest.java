package dev.gradproof.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradproof.api.Verdict;
import dev.gradproof.spec.BundledSpecs;
import dev.gradproof.spec.Spec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fast mode on layer graphs: correct networks pass, and realistic bugs are caught: one entry off by
 * 1e-4 (its largest gradient), or a whole tensor off by a millionth. Its detection bound for a single
 * entry is weaker than the exhaustive mode's (the projected tolerance sums every parameter's, ~1e-7 of
 * g·v on LeNet-5), as docs/TOLERANCE.md says; the exhaustive mode catches a millionth in one entry.
 */
class GraphDirectionalCheckTest {

    private static Spec directional(String name) {
        Spec s = BundledSpecs.load("specs/architectures/" + name + ".yaml");
        return s.withCheck(s.check().withTrials(1).withDirections(8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet5", "resnet-block", "char-lstm", "gru-huber", "transformer-block"})
    void correctArchitecturesPassAndAMillionthInTheLargestGradientIsCaught(String name) {
        Spec fast = directional(name);
        SpecResult ok = GraphSpecChecker.run(fast, GraphTrialCheck.Analytic.REFERENCE, SpecChecker.Progress.NONE, Shard.ALL);
        assertEquals(Verdict.PASS, ok.verdict(), () -> name + ": " + ok.error() + " " + ok.all());
        assertEquals(8, ok.all().size());
        assertTrue(ok.all().stream().allMatch(r -> r.parameter().matches("v[1-8]")));
        SpecResult bad = GraphSpecChecker.run(fast, (g, theta, c, f) -> {
            double[] grad = g.gradient(theta, c.data(), f);
            int best = 0;
            for (int p = 0; p < grad.length; p++) {
                best = Math.abs(grad[p]) > Math.abs(grad[best]) ? p : best;
            }
            grad[best] *= 1 + 1e-4;
            return grad;
        }, SpecChecker.Progress.NONE, Shard.ALL);
        assertEquals(Verdict.MISMATCH, bad.verdict(), () -> name + ": " + bad.all());
        SpecResult tensor = GraphSpecChecker.run(fast, (g, theta, c, f) -> {
            double[] grad = g.gradient(theta, c.data(), f);
            var last = g.layout().tensors().get(g.layout().tensors().size() - 2); // the output layer's weight
            for (int p = last.offset(); p < last.offset() + last.size(); p++) {
                grad[p] *= 1 + 1e-6;
            }
            return grad;
        }, SpecChecker.Progress.NONE, Shard.ALL);
        assertEquals(Verdict.MISMATCH, tensor.verdict(), () -> name + ": " + tensor.all());
    }
}
