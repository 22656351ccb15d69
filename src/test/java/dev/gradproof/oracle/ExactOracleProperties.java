package dev.gradproof.oracle;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradproof.compare.ParameterResult;
import dev.gradproof.compare.RandomNetworks;
import dev.gradproof.compare.Status;
import dev.gradproof.compare.ToleranceModel;
import dev.gradproof.compare.TrialCheck;
import dev.gradproof.network.Activations;
import dev.gradproof.network.Forward;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.ParameterLayout;
import dev.gradproof.network.TrialData;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * The three exact-to-rounding gradients agree on correct networks: the reference backpropagation
 * ({@link Mlp#gradient}, declared derivatives), the exact reverse pass ({@link ExactOracle},
 * DerivativeStructure derivatives) and the forward tangent ({@link TangentOracle}). All three differ only
 * by rounding, which the ToleranceModel bound is derived to cover; so any excess is a bug in one of them
 * or in the bound.
 */
class ExactOracleProperties {

    @Property(tries = 100)
    void referenceBackpropAgreesWithExactOracle(@ForAll long seed) {
        RandomNetworks.Case c = RandomNetworks.draw(seed, RandomNetworks.Profile.ANY);
        Mlp mlp = c.mlp();
        TrialData trial = c.trial();
        ParameterLayout layout = mlp.layout();
        List<ParameterResult> results = TrialCheck.run(mlp, (theta, data, f) -> mlp.gradient(theta, data, f), trial,
                TrialCheck.select(layout, 0, seed), TrialCheck.Options.defaults(), null);
        for (ParameterResult r : results) {
            assertTrue(r.status() != Status.MISMATCH, () -> c + ": " + r);
            assertTrue(r.status() != Status.INCONCLUSIVE || !r.note().contains("exact oracles disagree"), () -> c + ": " + r);
        }
        Statistics.label("kinks on path").collect(results.stream().anyMatch(r -> r.status() == Status.KINK));
    }

    @Property(tries = 100)
    void tangentAgreesWithReversePass(@ForAll long seed) {
        RandomNetworks.Case c = RandomNetworks.draw(seed, RandomNetworks.Profile.ANY);
        Mlp mlp = c.mlp();
        double[] theta = c.trial().theta();
        Forward f = mlp.forward(theta, c.trial().data());
        ExactGradient exact = ExactOracle.compute(mlp, theta, c.trial().data(), f);
        TangentOracle tangents = new TangentOracle(mlp, theta, c.trial().data(), f, exact);
        ParameterLayout layout = mlp.layout();
        for (int p = 0; p < layout.total(); p++) {
            Tangent t = tangents.tangent(p, 0);
            // The same bound TrialCheck uses between the analytic gradient and the exact one: both
            // oracles are sums of the same products, each within γ_K·M of the true value.
            int chain = ToleranceModel.chainLength(layout, layout.layerOf(p) + 1, c.trial().data().examples());
            double tol = ToleranceModel.analyticVsExact(exact.magnitude()[p], exact.localError()[p], t.kinkAllowance(),
                    chain, Activations.U);
            double diff = Math.abs(t.value() - exact.value()[p]);
            int q = p;
            assertTrue(diff <= tol, () -> c + ": " + layout.name(q) + " tangent " + t.value() + " vs reverse "
                    + exact.value()[q] + " (|diff| " + diff + " > " + tol + ")");
        }
    }
}
