package dev.gradproof.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradproof.api.Verdict;
import dev.gradproof.network.graph.GraphLayout;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphFactory;
import dev.gradproof.spec.BundledSpecs;
import dev.gradproof.spec.Spec;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bundled real architectures through the whole spec path: a planted error of one part in a million
 * in a single parameter, in every tensor of every layer, is caught and named, and the correct network
 * passes. A parameter whose gradient cancels to below a millionth of its terms cannot show such a bug
 * (its tolerance is larger than the change): the planted one is the largest gradient of its tensor.
 */
class GraphSpecCheckerTest {

    @ParameterizedTest
    @ValueSource(strings = {"lenet5", "resnet-block", "char-lstm", "gru-huber", "transformer-block"})
    void aPlantedErrorOfOnePartInAMillionIsCaughtInEveryTensor(String name) {
        Spec spec = BundledSpecs.load("specs/architectures/" + name + ".yaml");
        // One trial, and a sample that keeps every tensor represented, so the check stays quick.
        Spec quick = spec.withCheck(spec.check().withTrials(1).withParameters(3000));
        GraphNetwork g = GraphFactory.build(quick);
        GraphLayout layout = g.layout();
        // The clean check's results give each parameter's gradient and tolerance: plant where the change
        // (a millionth of the gradient) is over twice the tolerance, the tensor's most resolvable entry.
        SpecResult clean = GraphSpecChecker.run(quick.withCheck(quick.check().withParameters(0)),
                GraphTrialCheck.Analytic.REFERENCE, SpecChecker.Progress.NONE, Shard.ALL);
        assertEquals(Verdict.PASS, clean.verdict(), () -> name + " " + clean.error() + clean.mismatches());
        List<String> planted = new ArrayList<>();
        List<Integer> where = new ArrayList<>();
        List<String> undetectable = new ArrayList<>();
        for (GraphLayout.Tensor t : layout.tensors()) {
            ParameterResult best = null;
            for (ParameterResult r : clean.all()) {
                if (r.index() >= t.offset() && r.index() < t.offset() + t.size()
                        && (best == null || Math.abs(r.exact()) / r.absoluteTolerance()
                        > Math.abs(best.exact()) / best.absoluteTolerance())) {
                    best = r;
                }
            }
            if (best == null || 1e-6 * Math.abs(best.exact()) < 2 * best.absoluteTolerance()) {
                undetectable.add(t.group());
                continue;
            }
            where.add(best.index());
            planted.add(best.parameter());
        }
        // A bias before a batch norm has a gradient of exactly 0 (the mean subtraction cancels it): only
        // rounding noise is left, which no check can tell from a millionth of itself.
        assertTrue(undetectable.stream().allMatch(t -> t.matches("conv[12]\\.bias")), () -> name + ": " + undetectable);
        for (int i = 0; i < where.size(); i++) {
            int p = where.get(i);
            String n = planted.get(i);
            SpecResult r = GraphSpecChecker.run(quick.withCheck(quick.check().withParameters(0)
                            .withLayers(java.util.Set.of(layout.layer(p)))),
                    (net, theta, cs, f) -> {
                        double[] grad = net.gradient(theta, cs.data(), f);
                        grad[p] *= 1 + 1e-6;
                        return grad;
                    }, SpecChecker.Progress.NONE, Shard.ALL);
            assertEquals(Verdict.MISMATCH, r.verdict(), () -> name + ": 1e-6 on " + n + " " + r.error());
            assertEquals(List.of(n), r.mismatches().stream().map(ParameterResult::parameter).toList(),
                    () -> name + ": only " + n + " should mismatch");
        }
        assertTrue(planted.size() >= 3, planted::toString);
    }
}
