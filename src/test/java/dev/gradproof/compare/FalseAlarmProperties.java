package dev.gradproof.compare;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradproof.compare.RandomNetworks.Outputs;
import dev.gradproof.compare.RandomNetworks.Profile;
import dev.gradproof.network.Mlp;
import dev.gradproof.spec.LossSpec.Reduction;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * A correct gradient is never reported as a mismatch. The analytic side is the reference
 * backpropagation, correct by construction (ExactOracleProperties cross-checks it), or the same network
 * with the other, equally valid derivative convention at kinks (relu'(0) = 1). Any MISMATCH is a false
 * alarm: a tolerance too tight, or a kink handled wrongly.
 *
 * <p>The analytic gradient is declared to share the engine's forward pass, as the CLI's reference
 * implementation does: the tightest tolerance the harness applies.
 *
 * <p>Harness bugs make false alarms possible; the enabled properties steer clear of their triggers and
 * a disabled twin without the restriction documents each: the output-δ bound (hence ROUNDING_SAFE
 * outputs), and for the other kink convention the mean-reduction scaling of the kink allowance and its
 * first-order treatment of stacked kinks (hence one kinked hidden layer, sum reduction, smooth output).
 * A kinked output unit sitting on its kink is not detected at all, but with the reference's own
 * convention that only makes the parameter INCONCLUSIVE, not a mismatch.
 *
 * <p>The inconclusive rate is collected per parameter-trial ("parameter status" in the jqwik report).
 * Measured (runs of 70 and of 1500 tries): unrestricted weights and activations 0.1–0.2% of
 * parameter-trials inconclusive; kinked networks 2–3%; hidden kinks give KINK, as they should (5–7% of
 * parameter-trials in kinked networks). Of 1676 inconclusive out of 162133 parameter-trials over 3000
 * networks, 97% fed a kinked output unit on its kink (CentralDifferenceOracleTest.outputUnitOnTheKinkIsKink)
 * and the other 3% sat behind a confidently correct softmax, whose loss rounding the finite difference
 * underestimates (CentralDifferenceOracleTest.finiteDifferenceCoversItsRoundOffOnAConfidentSoftmax).
 */
class FalseAlarmProperties {

    /** Everything valid: all activations, weights std 0.01 (tiny gradients) to 3 (saturated sigmoid/tanh). */
    @Property(tries = 70)
    void correctNetworksNeverMismatch(@ForAll long seed) {
        RandomNetworks.Case c = RandomNetworks.draw(seed, Profile.ANY, 0, Outputs.ROUNDING_SAFE);
        check(c, c.mlp());
    }

    /**
     * ReLU / leaky ReLU / ELU hidden layers, 30% exact-zero inputs and zero biases: whole examples whose
     * pre-activations are exactly 0, where relu'(0) is a convention and a finite difference straddles the
     * kink.
     */
    @Property(tries = 70)
    void kinkedNetworksNeverMismatch(@ForAll long seed) {
        RandomNetworks.Case c = RandomNetworks.draw(seed, Profile.KINKS, 0, Outputs.ROUNDING_SAFE);
        check(c, c.mlp());
    }

    @Property(tries = 100)
    void correctNetworksWithAnyOutputNeverMismatch(@ForAll long seed, @ForAll boolean kinks) {
        RandomNetworks.Case c = RandomNetworks.draw(seed, kinks ? Profile.KINKS : Profile.ANY);
        check(c, c.mlp());
    }

    /**
     * The other convention at the kinks of one hidden layer, under sum reduction, with a smooth output:
     * the one setting where the kink allowance is currently right (see the disabled twins below).
     */
    @Property(tries = 60)
    void otherKinkConventionNeverMismatches(@ForAll long seed) {
        RandomNetworks.Case c = RandomNetworks.withReduction(
                RandomNetworks.draw(seed, Profile.KINKS, 2, Outputs.ROUNDING_SAFE_SMOOTH), Reduction.SUM);
        check(c, RandomNetworks.otherKinkConvention(c.mlp()));
    }

    @Property(tries = 60)
    void otherKinkConventionNeverMismatchesUnderMean(@ForAll long seed) {
        RandomNetworks.Case c = RandomNetworks.withReduction(
                RandomNetworks.draw(seed, Profile.KINKS, 2, Outputs.ROUNDING_SAFE_SMOOTH), Reduction.MEAN);
        check(c, RandomNetworks.otherKinkConvention(c.mlp()));
    }

    @Property(tries = 60)
    void otherKinkConventionNeverMismatchesThroughStackedKinks(@ForAll long seed) {
        RandomNetworks.Case c = RandomNetworks.withReduction(
                RandomNetworks.draw(seed, Profile.KINKS, 0, Outputs.ROUNDING_SAFE_SMOOTH), Reduction.SUM);
        check(c, RandomNetworks.otherKinkConvention(c.mlp()));
    }

    /**
     * The concrete false alarms the first bug produced, end to end through SpecChecker.run (the CLI path):
     * correct networks, verdict MISMATCH.
     */
    @Example
    void knownFalseAlarmsFromTheDeltaBound() {
        for (long seed : new long[]{42884, 18308741}) {
            RandomNetworks.Case c = RandomNetworks.draw(seed, Profile.KINKS);
            SpecResult r = SpecChecker.run(c.spec(), SpecChecker.Progress.NONE);
            assertTrue(r.mismatches().isEmpty(), () -> "false alarm on " + c + ": " + r.mismatches());
        }
    }

    private static void check(RandomNetworks.Case c, Mlp implementation) {
        Mlp mlp = c.mlp();
        List<ParameterResult> results = TrialCheck.run(mlp, RandomNetworks.sharingForward(implementation), c.trial(),
                TrialCheck.select(mlp.layout(), 0, c.spec().seed()), TrialCheck.Options.defaults(), null);
        for (ParameterResult r : results) {
            Statistics.label("parameter status").collect(r.status());
        }
        Statistics.label("weights").collect(c.spec().weights().describe());
        for (ParameterResult r : results) {
            assertTrue(r.status() != Status.MISMATCH, () -> "false alarm on " + c + ": " + r);
        }
    }
}
