package dev.gradproof.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradproof.compare.ParameterResult;
import dev.gradproof.compare.RandomNetworks;
import dev.gradproof.compare.Status;
import dev.gradproof.compare.ToleranceModel;
import dev.gradproof.compare.TrialCheck;
import dev.gradproof.network.Activation;
import dev.gradproof.network.Activations;
import dev.gradproof.network.Dataset;
import dev.gradproof.network.Forward;
import dev.gradproof.network.IncrementalLoss;
import dev.gradproof.network.Losses;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.OutputStage;
import dev.gradproof.network.ParameterLayout;
import dev.gradproof.network.TrialData;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The finite-difference oracle's accuracy, pinned on a network small enough to bound by hand, and the
 * kink handling that decides when it may not be trusted.
 */
class CentralDifferenceOracleTest {

    // ---- A smooth 3-4-2 tanh network, squared error, inputs in [-1, 1], weights uniform in [-1, 1]. ----

    private static final ParameterLayout SMOOTH = new ParameterLayout(new int[]{3, 4, 2}, new boolean[]{true, true},
            new boolean[]{false, false});
    private static final Mlp TANH = new Mlp(SMOOTH, new Activation[]{Activations.tanh(), Activations.identity()},
            OutputStage.of(Activations.identity(), Losses.SQUARED_ERROR, 2), true, 0, false);

    private static double[] uniform(SplittableRandom r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 2 * r.nextDouble() - 1;
        }
        return v;
    }

    private static final int EXAMPLES = 6;
    private static final SplittableRandom RND = new SplittableRandom(2024);
    private static final double[] THETA = uniform(RND, SMOOTH.total());
    private static final Dataset DATA = new Dataset(EXAMPLES, 3, 2, uniform(RND, 3 * EXAMPLES), uniform(RND, 2 * EXAMPLES));

    /**
     * A provable bound on |R − f'| for this network, R = (4D(h) − D(2h))/3 and h = 2^-10 (|θ| < 1).
     *
     * <p>Truncation: with Lagrange remainders D(h) = f' + h²f'''/6 + ρ(h), |ρ(h)| ≤ h⁴·M5/120, so
     * |R − f'| ≤ (4·h⁴ + 16·h⁴)/120/3·M5 = h⁴·M5/18. Along a layer-1 parameter the per-example loss is
     * Σ_k ½(c_k + w_k·tanh(z + t·x))² with |x|, |w_k| ≤ 1 and |c_k| ≤ |b2| + 3·|w|·1 + |y| ≤ 5, whose fifth
     * derivative is ≤ Σ_k |c_k|·max|tanh⁽⁵⁾| + ½·max|(tanh²)⁽⁵⁾| = 2·(5·16 + ½·52.3) ≤ 213 (maxima over
     * the reals, computed symbolically); layer-2 parameters enter quadratically (fifth derivative 0).
     * So truncation ≤ 2^-40·213/18 ≈ 1.1e-11.
     *
     * <p>Round-off: each loss change has error ε, R's is ≤ (4·2ε/2h + 2ε/4h)/3 = 1.5ε/h. An output |a| ≤ 5
     * carries ≤ 4·(16u + 2u) + 25u = 97u of rounding (four hidden pre-activations, 4-term dot products
     * ≤ 4 in size, through 1-ulp tanh with slope ≤ 1, then a 5-term dot product ≤ 5), a residual one u
     * more; residuals |r| ≤ 6, so a
     * per-example loss ≤ 36 is off by ≤ 2·6·98u + 3u·36 ≈ 1300u and a change of it by ≤ 2600u:
     * 1.5·2600u/2^-10 ≈ 4.4e-10.
     *
     * <p>B ≈ 4.5e-10 < 1e-9: the error is below 1e-9 relative for every gradient of size ≥ 0.45 and below
     * 1e-9 absolute for the rest. (The oracle's own documentation expects ~1e-12; this is the provable figure.)
     */
    private static final double RICHARDSON_BOUND = 0x1.0p-40 * 213 / 18 + 1.5 * 2600 * Activations.U / 0x1.0p-10;

    @Test
    void richardsonIsWithinItsOwnErrorAndBelow1e9Relative() {
        Forward f = TANH.forward(THETA, DATA);
        ExactGradient exact = ExactOracle.compute(TANH, THETA, DATA, f);
        CentralDifferenceOracle fd = new CentralDifferenceOracle(TANH, THETA, DATA, f, exact.lossRounding(), false);
        for (int p = 0; p < SMOOTH.total(); p++) {
            FiniteDifference r = fd.estimate(p);
            double e = exact.value()[p];
            // e itself is within its rounding tolerance of the truth.
            double eTol = ToleranceModel.analyticVsExact(exact.magnitude()[p], exact.localError()[p], 0,
                    ToleranceModel.chainLength(SMOOTH, SMOOTH.layerOf(p) + 1, EXAMPLES), Activations.U);
            double err = Math.abs(r.value() - e);
            String name = SMOOTH.name(p);
            assertTrue(err <= r.error() + eTol, () -> name + ": |R − exact| = " + err + " > reported error " + r.error());
            assertTrue(err <= RICHARDSON_BOUND, () -> name + ": |R − exact| = " + err + " > " + RICHARDSON_BOUND);
        }
    }

    /**
     * A plain central difference at its textbook-best step h = 2^-17 has truncation h²f'''/6 and
     * round-off ε/h ≈ 8u·L/h, together ~1e-10 here, an order above Richardson at 2^-10; summed over
     * all parameters it must be the worse of the two.
     */
    @Test
    void plainCentralDifferenceIsWorseThanRichardson() {
        Forward f = TANH.forward(THETA, DATA);
        ExactGradient exact = ExactOracle.compute(TANH, THETA, DATA, f);
        CentralDifferenceOracle fd = new CentralDifferenceOracle(TANH, THETA, DATA, f, exact.lossRounding(), false);
        IncrementalLoss losses = new IncrementalLoss(TANH, THETA, DATA, f);
        double plain = 0;
        double richardson = 0;
        for (int p = 0; p < SMOOTH.total(); p++) {
            double t = THETA[p];
            double h = (t + 0x1.0p-17 * Math.max(1, Math.abs(t))) - t;
            double d = (losses.change(p, h) - losses.change(p, -h)) / (2 * h);
            plain += Math.abs(d - exact.value()[p]);
            richardson += Math.abs(fd.estimate(p).value() - exact.value()[p]);
        }
        double plainSum = plain;
        double richardsonSum = richardson;
        assertTrue(plainSum > richardsonSum, () -> "plain " + plainSum + " vs Richardson " + richardsonSum);
    }

    /**
     * A confidently correct softmax: logits (15, 0), target class 0, loss log(1 + e^-15) ≈ 3.1e-7. The
     * loss is computed as lse − z_0 with lse ≈ z_0 ≈ 15, so it carries ~u·15 ≈ 1.7e-15 of absolute
     * rounding, not u·3.1e-7, and the finite difference's round-off (3ε/h at h = 2^-10) is ~5e-12.
     * The oracle must report an error bound covering that; the parameters should then be OK.
     */
    @Test
    void finiteDifferenceCoversItsRoundOffOnAConfidentSoftmax() {
        ParameterLayout layout = new ParameterLayout(new int[]{2, 2}, new boolean[]{true}, new boolean[]{false});
        Mlp mlp = new Mlp(layout, new Activation[]{null}, OutputStage.of(null, Losses.CROSS_ENTROPY, 2), true, 0, false);
        double[] theta = {7.5, -7.5, 0, 0, 0, 0}; // z = W x + b = (15, 0) for x = (1, −1)
        Dataset data = new Dataset(1, 2, 2, new double[]{1, -1}, new double[]{1, 0});
        Forward f = mlp.forward(theta, data);
        ExactGradient exact = ExactOracle.compute(mlp, theta, data, f);
        CentralDifferenceOracle fd = new CentralDifferenceOracle(mlp, theta, data, f, exact.lossRounding(), false);
        for (int p = 0; p < layout.total(); p++) {
            FiniteDifference r = fd.estimate(p);
            double eTol = ToleranceModel.analyticVsExact(exact.magnitude()[p], exact.localError()[p], 0,
                    ToleranceModel.chainLength(layout, 1, 1), Activations.U);
            double err = Math.abs(r.value() - exact.value()[p]);
            String name = layout.name(p);
            assertTrue(err <= r.error() + eTol, () -> name + ": |R − exact| = " + err + " > reported " + r.error());
        }
        for (ParameterResult r : TrialCheck.run(mlp, (t, d, fw) -> mlp.gradient(t, d, fw), new TrialData(0, 0, theta, data),
                TrialCheck.select(layout, 0, 0), TrialCheck.Options.defaults(), null)) {
            assertEquals(Status.OK, r.status(), r::toString);
        }
    }

    // ---- Kinks: a unit whose pre-activation is exactly 0. ----

    /**
     * 2-2-1 network, relu hidden, identity output. Example 0 has x = (0.5, 0.5) and W1 row 0 = (1, −1),
     * b1[0] = 0, so z1[0] = 0.5 − 0.5 = 0 exactly; example 1 keeps every unit off the kink.
     */
    private static final ParameterLayout KINKED = new ParameterLayout(new int[]{2, 2, 1}, new boolean[]{true, true},
            new boolean[]{false, false});
    // W1 = [[1, -1], [0.5, 0.25]], b1 = [0, 0.1], W2 = [[0.7, -0.4]], b2 = [0.2]
    private static final double[] KINK_THETA = {1, -1, 0.5, 0.25, 0, 0.1, 0.7, -0.4, 0.2};
    private static final Dataset KINK_DATA = new Dataset(2, 2, 1, new double[]{0.5, 0.5, 1.5, -0.75}, new double[]{1, -1});

    private static Mlp kinkedNetwork(Activation hidden, Activation output) {
        return kinkedNetwork(hidden, output, true);
    }

    private static Mlp kinkedNetwork(Activation hidden, Activation output, boolean mean) {
        return new Mlp(KINKED, new Activation[]{hidden, output}, OutputStage.of(output, Losses.SQUARED_ERROR, 1), mean, 0,
                false);
    }

    /** Every parameter of the kinked network, judged with the analytic gradient of {@code impl}. */
    private static List<ParameterResult> checkKinked(Mlp reference, Mlp impl) {
        assertEquals(0.0, reference.forward(KINK_THETA, KINK_DATA).z[1][0], "the constructed unit must sit on the kink");
        return TrialCheck.run(reference, (t, d, f) -> impl.gradient(t, d), new TrialData(0, 0, KINK_THETA, KINK_DATA),
                TrialCheck.select(KINKED, 0, 0), TrialCheck.Options.defaults(), null);
    }

    /** W1[0,*] and b1[0] move the unit on the kink (KINK); nothing else does (OK). */
    private static void assertKinkExactlyWhereExpected(List<ParameterResult> rs) {
        for (ParameterResult r : rs) {
            boolean movesKinkedUnit = r.parameter().startsWith("W1[0,") || r.parameter().equals("b1[0]");
            assertEquals(movesKinkedUnit ? Status.KINK : Status.OK, r.status(), r::toString);
        }
    }

    @Test
    void hiddenUnitOnTheKinkIsKink() {
        for (boolean mean : new boolean[]{true, false}) {
            Mlp reference = kinkedNetwork(Activations.relu(), Activations.identity(), mean);
            assertKinkExactlyWhereExpected(checkKinked(reference, reference));
        }
    }

    /**
     * An implementation using relu'(0) = 1 differs from the exact (one-sided, relu'(0) = 0) gradient by
     * jump·|dz/dθ|·|dL/da| at the kinked unit, which the kink allowance is meant to cover. Under sum
     * reduction it does.
     */
    @Test
    void otherConventionOnHiddenKinkIsKinkUnderSum() {
        Mlp reference = kinkedNetwork(Activations.relu(), Activations.identity(), false);
        Mlp other = kinkedNetwork(RandomNetworks.rightHanded(Activations.relu()), Activations.identity(), false);
        // The conventions really differ here, or the test would not exercise the allowance.
        int b10 = KINKED.biasOffset(0);
        assertNotEquals(reference.gradient(KINK_THETA, KINK_DATA)[b10], other.gradient(KINK_THETA, KINK_DATA)[b10]);
        assertKinkExactlyWhereExpected(checkKinked(reference, other));
    }

    /**
     * Same under mean reduction over the 2 examples: the convention changes dL/dW1[0,0] by
     * (1/2)·1·x·|W2[0,0]·δ2| = 0.5·0.5·0.7·0.99 = 0.17325, but the allowance comes out as half of that.
     */
    @Test
    void otherConventionOnHiddenKinkIsKinkUnderMean() {
        Mlp reference = kinkedNetwork(Activations.relu(), Activations.identity(), true);
        Mlp other = kinkedNetwork(RandomNetworks.rightHanded(Activations.relu()), Activations.identity(), true);
        assertKinkExactlyWhereExpected(checkKinked(reference, other));
    }

    /**
     * Two kinks in series: a 1-1-1-1 relu-relu-identity network with x = 0 and zero biases, so z1 = 0 and
     * then z2 = W2·relu(0) + 0 = 0. With relu'(0) = 1 at both, dL/db1 = W2·W3·δ3 = (−1.5)·2·(−0.5) = 1.5;
     * with relu'(0) = 0 it is 0. Both are conventions (this is the relu-network spec's situation: zeros
     * in the first hidden layer, and then in the second).
     */
    @Test
    void otherConventionThroughStackedKinksIsKink() {
        ParameterLayout layout = new ParameterLayout(new int[]{1, 1, 1, 1}, new boolean[]{true, true, true},
                new boolean[]{false, false, false});
        // W1, b1, W2, b2, W3, b3
        double[] theta = {0.8, 0, -1.5, 0, 2, 0.5};
        Dataset data = new Dataset(1, 1, 1, new double[]{0}, new double[]{1});
        Activation relu = Activations.relu();
        Activation other = RandomNetworks.rightHanded(relu);
        OutputStage out = OutputStage.of(Activations.identity(), Losses.SQUARED_ERROR, 1);
        Mlp reference = new Mlp(layout, new Activation[]{relu, relu, Activations.identity()}, out, false, 0, false);
        Mlp impl = new Mlp(layout, new Activation[]{other, other, Activations.identity()}, out, false, 0, false);
        Forward f = reference.forward(theta, data);
        assertEquals(0.0, f.z[1][0]);
        assertEquals(0.0, f.z[2][0]);
        assertEquals(1.5, impl.gradient(theta, data)[1], 0, "the other convention's dL/db1, exact in double");
        ParameterResult r = TrialCheck.run(reference, (t, d, fw) -> impl.gradient(t, d), new TrialData(0, 0, theta, data),
                new int[]{1}, TrialCheck.Options.defaults(), null).get(0);
        assertEquals(Status.KINK, r.status(), r::toString);
    }

    // The same situation one layer up: the relu *output* unit sits on its kink. Its derivative there is a
    // convention just as for a hidden unit, and a finite difference straddles it just the same.
    // W1 = identity, b1 = 0, W2 = (1, −1), b2 = 0: example 0 has a1 = (0.5, 0.5), so z2 = 0 exactly.
    private static final double[] OUTPUT_KINK_THETA = {1, 0, 0, 1, 0, 0, 1, -1, 0};

    private static ParameterResult checkOutputKink(Mlp impl, TrialCheck.Options options) {
        Mlp reference = kinkedNetwork(Activations.relu(), Activations.relu());
        assertEquals(0.0, reference.forward(OUTPUT_KINK_THETA, KINK_DATA).z[2][0], "the output unit must sit on the kink");
        Mlp analytic = impl == null ? reference : impl;
        return TrialCheck.run(reference, (t, d, f) -> analytic.gradient(t, d), new TrialData(0, 0, OUTPUT_KINK_THETA, KINK_DATA),
                new int[]{KINKED.biasOffset(1)}, options, null).get(0);
    }

    @Test
    void outputUnitOnTheKinkIsKink() {
        ParameterResult r = checkOutputKink(null, TrialCheck.Options.defaults());
        assertEquals(Status.KINK, r.status(), r::toString);
    }

    @Test
    void otherConventionOnOutputKinkIsKink() {
        Mlp other = kinkedNetwork(Activations.relu(), RandomNetworks.rightHanded(Activations.relu()));
        ParameterResult r = checkOutputKink(other, new TrialCheck.Options(true, false, null, Activations.U));
        assertEquals(Status.KINK, r.status(), r::toString);
    }
}
