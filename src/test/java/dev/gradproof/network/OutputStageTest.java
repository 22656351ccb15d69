package dev.gradproof.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import java.util.Arrays;

/**
 * The output stage (last activation + loss) three ways: analytic δ = dℓ/dz (what backprop starts from),
 * its DerivativeStructure form, and the loss value, for every valid loss/activation pair.
 */
class OutputStageTest {

    private static final double U = Activations.U;

    /** A valid pair; {@code activation} null means softmax. */
    private record Pair(String name, Activation activation, Loss loss) {
        OutputStage stage(int k) {
            return OutputStage.of(activation, loss, k);
        }

        boolean softmax() {
            return activation == null;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<Pair> PAIRS = List.of(
            new Pair("identity/squared_error", Activations.identity(), Losses.SQUARED_ERROR),
            new Pair("tanh/squared_error", Activations.tanh(), Losses.SQUARED_ERROR),
            new Pair("sigmoid/squared_error", Activations.sigmoid(), Losses.SQUARED_ERROR),
            new Pair("identity/mse", Activations.identity(), Losses.MSE),
            new Pair("tanh/mse", Activations.tanh(), Losses.MSE),
            new Pair("sigmoid/mse", Activations.sigmoid(), Losses.MSE),
            new Pair("sigmoid/binary_cross_entropy", Activations.sigmoid(), Losses.BINARY_CROSS_ENTROPY),
            new Pair("softmax/softmax_cross_entropy", null, Losses.CROSS_ENTROPY),
            new Pair("softmax/mse", null, Losses.MSE));

    /** One example: logits z, a valid target y. */
    private record Draw(Pair pair, int k, double[] z, double[] y) {
        @Override
        public String toString() {
            return pair + " z=" + Arrays.toString(z) + " y=" + Arrays.toString(y);
        }
    }

    /** 300 draws per pair: k in 1..5 (2..5 for softmax), z ~ N(0, 3²), targets valid for the loss. */
    private static List<Draw> draws(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Draw> out = new ArrayList<>();
        for (Pair p : PAIRS) {
            for (int n = 0; n < 300; n++) {
                int k = p.softmax() ? 2 + r.nextInt(4) : 1 + r.nextInt(5);
                double[] z = new double[k];
                double[] y = new double[k];
                for (int i = 0; i < k; i++) {
                    z[i] = 3 * gaussian(r);
                }
                if (p.loss() == Losses.CROSS_ENTROPY) {
                    if (r.nextBoolean()) {
                        y[r.nextInt(k)] = 1; // one-hot
                    } else {
                        double s = 0; // a probability vector
                        for (int i = 0; i < k; i++) {
                            y[i] = r.nextDouble();
                            s += y[i];
                        }
                        for (int i = 0; i < k; i++) {
                            y[i] /= s;
                        }
                    }
                } else {
                    for (int i = 0; i < k; i++) {
                        y[i] = p.loss() == Losses.BINARY_CROSS_ENTROPY ? (r.nextBoolean() ? r.nextInt(2) : r.nextDouble())
                                : gaussian(r);
                    }
                }
                out.add(new Draw(p, k, z, y));
            }
        }
        return out;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log1p(-r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    private static double[] activate(OutputStage s, double[] z) {
        double[] a = new double[z.length];
        s.activate(z, 0, a, 0);
        return a;
    }

    /** The analytic δ is within the bound exactDelta itself reports of the exact δ. */
    private static void assertDeltaWithinReportedBound(Draw d) {
        OutputStage s = d.pair().stage(d.k());
        double[] a = activate(s, d.z());
        double[] delta = new double[d.k()];
        double[] exact = new double[d.k()];
        double[] err = new double[d.k()];
        s.delta(d.z(), a, 0, d.y(), 0, delta, 0, new double[d.k()]);
        s.exactDelta(d.z(), a, 0, d.y(), 0, exact, 0, err, 0, new double[d.k()]);
        for (int i = 0; i < d.k(); i++) {
            int q = i;
            assertTrue(Math.abs(delta[i] - exact[i]) <= err[i], () -> d + ": δ" + q + " analytic " + delta[q]
                    + " exact " + exact[q] + " differ by " + Math.abs(delta[q] - exact[q]) + " > bound " + err[q]);
        }
    }

    @Test
    void analyticDeltaAgreesWithExactDeltaWithinItsBound() {
        for (Draw d : draws(1)) {
            assertDeltaWithinReportedBound(d);
        }
    }

    /**
     * Targets within 1e-3 .. 1e-9 of the output: dℓ/da = a − y then cancels, and a one-ulp difference
     * between Math's and DerivativeStructure's value of a (u·|a|) becomes a relative error of u·|a|/|a − y|
     * in δ. A target this close is an ordinary situation (a well-fitted network, or a teaching spec with
     * targets produced by the network itself).
     */
    @Test
    void analyticDeltaAgreesWithExactDeltaWhenTheTargetIsClose() {
        SplittableRandom r = new SplittableRandom(7);
        for (Draw d : draws(2)) {
            if (d.pair().softmax() && d.pair().loss() == Losses.CROSS_ENTROPY
                    || d.pair().loss() == Losses.BINARY_CROSS_ENTROPY) {
                continue; // combined forms: their bound includes |a| and |y| separately
            }
            double[] a = activate(d.pair().stage(d.k()), d.z());
            double[] y = new double[d.k()];
            for (int i = 0; i < d.k(); i++) {
                y[i] = a[i] + (r.nextBoolean() ? 1 : -1) * Math.pow(10, -3 - 6 * r.nextDouble());
            }
            assertDeltaWithinReportedBound(new Draw(d.pair(), d.k(), d.z(), y));
        }
    }

    /**
     * Bound on |loss() − exact loss|, both evaluating the same formula on the same inputs and differing
     * only in which library rounds the elementary functions (java.lang.Math vs Commons Math's FastMath,
     * each within 1 ulp = 2u relative) and in where the surrounding operations round. Per side, first
     * order, with k outputs:
     * <ul>
     *   <li>elementwise f then squared error / mse: a_i carries c_f·u·|a_i| (identity 0; tanh one
     *       function, 2u; sigmoid exp + add + divide, 4u); the loss c·Σ(a − y)² adds u|d_i| per
     *       difference (weighted by |g_i| = 2c|d_i|: 2uℓ in total), a rounding per square, k − 1 per
     *       sum and one for the scale: ≤ Σ|g_i|·c_f·u·|a_i| + (k + 3)·u·ℓ;</li>
     *   <li>sigmoid + BCE from logits, Σ y·softplus(−z) + (1 − y)·softplus(z), all terms ≥ 0: softplus is
     *       exp, log1p (condition ≤ 1) and an add, ≤ 5u relative; a product and 2k sums: ≤ (2k + 7)·u·ℓ;</li>
     *   <li>softmax + cross-entropy, −Σ y_i (z_i − lse): lse = max + log Σ exp(z − max) with the sum in
     *       [1, k] carries ≤ u·|lse| + 2u·log k + (k + 2)u; then z_i − lse, the product and the sum add
     *       (k + 2)·u·|z_i − lse|: ≤ Σ|y_i|·(lseErr + (k + 2)·u·|z_i − lse|);</li>
     *   <li>softmax + mse: Math's a_i = e_i/Σe carries (k + 3)u relative, the exact form exp(z_i − lse)
     *       2u + lseErr + u|z_i − lse|; then the mse terms as above.</li>
     * </ul>
     * The two sides' bounds add.
     */
    private static double lossBound(Draw d, double[] a) {
        Pair p = d.pair();
        int k = d.k();
        double[] y = d.y();
        double[] z = d.z();
        double[] g = new double[k];
        p.loss().gradient(a, 0, y, 0, k, g, 0);
        double loss = p.stage(k).loss(z, a, 0, y, 0);
        if (p.loss() == Losses.BINARY_CROSS_ENTROPY) {
            return 2 * (2 * k + 7) * U * loss;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double zi : z) {
            max = Math.max(max, zi);
        }
        double s = 0;
        for (double zi : z) {
            s += Math.exp(zi - max);
        }
        double lse = max + Math.log(s);
        double lseErr = U * Math.abs(lse) + 2 * U * Math.log(k) + (k + 2) * U;
        if (p.loss() == Losses.CROSS_ENTROPY) {
            double b = 0;
            for (int i = 0; i < k; i++) {
                b += Math.abs(y[i]) * (lseErr + (k + 2) * U * Math.abs(z[i] - lse));
            }
            return 2 * b;
        }
        double b = 0;
        for (int i = 0; i < k; i++) {
            double rel;
            if (p.softmax()) {
                rel = (k + 3) * U + 2 * U + lseErr + U * Math.abs(z[i] - lse);
            } else {
                String f = p.activation().name();
                rel = 2 * (f.equals("identity") ? 0 : f.equals("tanh") ? 2 * U : 4 * U);
            }
            b += Math.abs(g[i]) * rel * Math.abs(a[i]);
        }
        return b + 2 * (k + 3) * U * loss;
    }

    @Test
    void lossAgreesWithExactLoss() {
        for (Draw d : draws(3)) {
            OutputStage s = d.pair().stage(d.k());
            double[] a = activate(s, d.z());
            double loss = s.loss(d.z(), a, 0, d.y(), 0);
            double exact = s.exactDelta(d.z(), a, 0, d.y(), 0, new double[d.k()], 0, new double[d.k()], 0, new double[d.k()]);
            double bound = lossBound(d, a);
            assertTrue(Math.abs(loss - exact) <= bound, () -> d + ": loss " + loss + " exact " + exact + " differ by "
                    + Math.abs(loss - exact) + " > " + bound);
        }
    }

    /**
     * From the logits, BCE and cross-entropy stay finite where log(σ(z)) or log(softmax) would give
     * log(0): |z| = 800 makes e^-800 underflow to 0 (below the least subnormal, ~4.9e-324).
     */
    @Test
    void crossEntropiesFromLogitsStayFiniteAtLargeLogits() {
        // BCE, k = 2: z = (800, −800), y = (0, 1): each term is softplus(800) = 800 + log1p(e^-800) = 800.
        OutputStage bce = OutputStage.of(Activations.sigmoid(), Losses.BINARY_CROSS_ENTROPY, 2);
        checkFinite(bce, new double[]{800, -800}, new double[]{0, 1}, 1600);
        // ... and a well-classified pair, loss softplus(−800) ≈ e^-800 = 0 in double.
        checkFinite(bce, new double[]{800, -800}, new double[]{1, 0}, 0);
        // Cross-entropy, k = 3: z = (800, −800, 0), y = e_2: lse = 800 + log(1 + e^-1600 + e^-800) = 800, loss 1600.
        OutputStage ce = OutputStage.of(null, Losses.CROSS_ENTROPY, 3);
        checkFinite(ce, new double[]{800, -800, 0}, new double[]{0, 1, 0}, 1600);
        checkFinite(ce, new double[]{-800, 800, 0}, new double[]{0, 1, 0}, 0);
    }

    private static void checkFinite(OutputStage s, double[] z, double[] y, double expectedLoss) {
        int k = z.length;
        double[] a = activate(s, z);
        double loss = s.loss(z, a, 0, y, 0);
        double[] delta = new double[k];
        double[] exact = new double[k];
        double[] err = new double[k];
        s.delta(z, a, 0, y, 0, delta, 0, new double[k]);
        double exactLoss = s.exactDelta(z, a, 0, y, 0, exact, 0, err, 0, new double[k]);
        // The values are exact in double here (800 + log1p(0) = 800; 800 − (−800) = 1600), so equality.
        assertEquals(expectedLoss, loss, 0);
        assertEquals(expectedLoss, exactLoss, 0);
        for (int i = 0; i < k; i++) {
            assertTrue(Double.isFinite(delta[i]) && Double.isFinite(exact[i]) && Double.isFinite(err[i]),
                    "δ" + i + " = " + delta[i] + ", exact " + exact[i] + ", bound " + err[i]);
            // δ = a − y with a saturated to 0 or 1 exactly: |δ| ≤ 1, and the two forms agree.
            assertTrue(Math.abs(delta[i] - exact[i]) <= err[i], "δ" + i + ": " + delta[i] + " vs " + exact[i]);
        }
    }
}
