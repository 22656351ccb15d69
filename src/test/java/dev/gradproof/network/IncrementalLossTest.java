package dev.gradproof.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradproof.oracle.ExactOracle;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The incremental loss change against the straightforward method: a full forward pass at θ + δe_p. */
class IncrementalLossTest {

    private static final double U = Activations.U;

    private static double[] normal(SplittableRandom r, int n, double std) {
        return MlpTest.normal(r, n, std);
    }

    /** 4 → 5 tanh (bias) → 3 sigmoid (no bias) → 2 identity (bias), squared error, mean, L2 on everything. */
    private static Mlp smoothNetwork() {
        ParameterLayout layout = new ParameterLayout(new int[]{4, 5, 3, 2}, new boolean[]{true, false, true},
                new boolean[]{false, false, false});
        Activation[] acts = {Activations.tanh(), Activations.sigmoid(), Activations.identity()};
        return new Mlp(layout, acts, OutputStage.of(acts[2], Losses.SQUARED_ERROR, 2), true, 0.3, true);
    }

    /** 4 → 5 sigmoid → 3 sigmoid → 3 sigmoid, binary cross-entropy from the logits, mean, L2 on weights. */
    private static Mlp sigmoidCrossEntropyNetwork() {
        ParameterLayout layout = new ParameterLayout(new int[]{4, 5, 3, 3}, new boolean[]{true, true, true},
                new boolean[]{false, false, false});
        Activation[] acts = {Activations.sigmoid(), Activations.sigmoid(), Activations.sigmoid()};
        return new Mlp(layout, acts, OutputStage.of(acts[2], Losses.BINARY_CROSS_ENTROPY, 3), true, 1.0, false);
    }

    private static Dataset data(Mlp mlp, SplittableRandom r, int n, boolean softTargets) {
        ParameterLayout layout = mlp.layout();
        int k = layout.size(layout.layers());
        double[] y = new double[n * k];
        if (mlp.activation(layout.layers() - 1) == null) {
            for (int e = 0; e < n; e++) {
                y[e * k + r.nextInt(k)] = 1;
            }
        } else if (mlp.output().lossFromLogits()) {
            for (int i = 0; i < y.length; i++) {
                y[i] = softTargets && i % 4 == 0 ? 0.3 : r.nextInt(2);
            }
        } else {
            y = normal(r, y.length, 1);
        }
        return new Dataset(n, layout.size(0), k, normal(r, n * layout.size(0), 1), y);
    }

    /**
     * change(p, δ) against a full recompute L(θ + δe_p) − L(θ), for every parameter, with steps that
     * take the series (2^-16, 2^-10) and the difference (−0.25) in the sigmoid + cross-entropy stage.
     * Bound: ExactOracle.lossRounding() bounds the rounding of one loss evaluation, so the full recompute
     * is within r(θ) + r(θ + δe_p) + u·|difference| of the true change; the finite-difference oracle
     * assumes the incremental change is within 2·r(θ) (its round-off term is 3·2·r/h). Their sum bounds
     * the disagreement. A wrong unit, a missed layer or penalty would be off by O(δ·dL/dθ) ≫ this.
     */
    @Test
    void changeEqualsFullRecompute() {
        for (Mlp mlp : List.of(smoothNetwork(), MlpTest.kinkedSoftmaxNetwork(), sigmoidCrossEntropyNetwork())) {
            for (boolean soft : new boolean[]{false, true}) {
                SplittableRandom r = new SplittableRandom(11);
                ParameterLayout layout = mlp.layout();
                double[] theta = normal(r, layout.total(), 0.8);
                Dataset data = data(mlp, r, 7, soft);
                Forward f = mlp.forward(theta, data);
                double r0 = ExactOracle.compute(mlp, theta, data, f).lossRounding();
                IncrementalLoss losses = new IncrementalLoss(mlp, theta, data, f);
                double[] deltas = {0x1.0p-16, 0x1.0p-10, -0.25};
                for (int p = 0; p < layout.total(); p++) {
                    double[] changes = new double[deltas.length];
                    losses.changes(p, deltas, changes);
                    for (int m = 0; m < deltas.length; m++) {
                        double delta = deltas[m];
                        double[] moved = theta.clone();
                        moved[p] += delta;
                        double full = mlp.loss(moved, data) - f.loss;
                        double r1 = ExactOracle.compute(mlp, moved, data, mlp.forward(moved, data)).lossRounding();
                        double change = changes[m];
                        double bound = 2 * r0 + r0 + r1 + U * Math.abs(full);
                        int q = p;
                        assertTrue(Math.abs(change - full) <= bound, () -> layout.name(q) + " δ=" + delta + ": change "
                                + change + " vs recompute " + full + " (|diff| " + Math.abs(change - full) + " > " + bound + ")");
                        assertEquals(change, losses.change(p, delta), 0.0, "one step alone gives the same bits");
                    }
                }
            }
        }
    }

    /**
     * Several blocks of examples and a partial last one, with soft targets in one block only: the
     * rank-one form where it applies and the per-example form elsewhere add up to the full recompute.
     */
    @Test
    void blocksOfExamplesAddUp() {
        Mlp mlp = sigmoidCrossEntropyNetwork();
        SplittableRandom r = new SplittableRandom(5);
        ParameterLayout layout = mlp.layout();
        double[] theta = normal(r, layout.total(), 0.8);
        int n = 2 * SigmoidCrossEntropyChanges.BLOCK + 37;
        Dataset data = data(mlp, r, n, false);
        data.y()[3] = 0.25; // one soft target, in the first block
        Forward f = mlp.forward(theta, data);
        double r0 = ExactOracle.compute(mlp, theta, data, f).lossRounding();
        IncrementalLoss losses = new IncrementalLoss(mlp, theta, data, f);
        for (int p = layout.weightOffset(1); p < layout.total(); p += 3) {
            for (double delta : new double[]{0x1.0p-12, -0x1.0p-9}) {
                double[] moved = theta.clone();
                moved[p] += delta;
                double full = mlp.loss(moved, data) - f.loss;
                double r1 = ExactOracle.compute(mlp, moved, data, mlp.forward(moved, data)).lossRounding();
                double change = losses.change(p, delta);
                double bound = 3 * r0 + r1 + U * Math.abs(full);
                int q = p;
                assertTrue(Math.abs(change - full) <= bound, () -> layout.name(q) + " δ=" + delta + ": " + change
                        + " vs " + full);
            }
        }
    }

    /**
     * The sigmoid + cross-entropy stage's small-change form, ln(1 + σ(z)·(e^d − 1)), against the same
     * identity in StrictMath's log1p and expm1: within 4 ulps. The difference of two softplus values,
     * which the series replace, is only good to u·softplus(z) absolutely, about 1e-10 relative for
     * these steps: were the series path not taken, this would fail.
     */
    @Test
    void sigmoidCrossEntropyChangeIsAccurateToUlps() {
        OutputStage stage = OutputStage.of(Activations.sigmoid(), Losses.BINARY_CROSS_ENTROPY, 1);
        SplittableRandom r = new SplittableRandom(3);
        double[] zw = new double[1];
        double[] aw = new double[1];
        for (int t = 0; t < 20_000; t++) {
            double[] z = {(r.nextDouble() - 0.5) * 60};
            double[] y = {r.nextInt(2)};
            double[] dz = {(r.nextDouble() - 0.5) * 2 * Series.LIMIT * Math.pow(2, -r.nextInt(30))};
            SigmoidCrossEntropyChanges prepared = stage.prepareChanges(z, y, 1);
            double sign = y[0] == 1 ? -1 : 1;
            double sens = Activations.sigmoid(sign * z[0]);
            double reference = StrictMath.log1p(sens * StrictMath.expm1(sign * dz[0]));
            double change = stage.change(z, 0, dz, y, prepared, Double.NaN, zw, aw);
            assertTrue(Math.abs(change - reference) <= 4 * Math.ulp(reference),
                    () -> "z=" + z[0] + " y=" + y[0] + " dz=" + dz[0] + ": " + change + " vs " + reference);
        }
    }
}
