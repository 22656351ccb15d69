package dev.gradproof.oracle;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Dataset;
import dev.gradproof.network.Forward;
import dev.gradproof.network.IncrementalLoss;
import dev.gradproof.network.Mlp;
import org.apiguardian.api.API;

/**
 * Finite differences: central differences at steps h and 2h combined by Richardson extrapolation,
 * R = (4·D(h) − D(2h))/3, which cancels the h² term and leaves O(h⁴) truncation.
 *
 * <p>The trade-off, in numbers (double, loss of order 1): a plain central difference with its best
 * step h ≈ 7.6e-6 (2^-17) is accurate to about 1e-10 relative; the extrapolated one with
 * h ≈ 9.8e-4 (2^-10) to about 1e-12, at twice the cost. Near a kink a large step crosses it more
 * often, so networks with ReLU-like units use h = 2^-16 (round-off then dominates, ~1e-11).
 * {@code CentralDifferenceOracleTest} pins these figures.
 *
 * <p>Error estimate: D(h) − D(2h) ≈ −3ch², so |D(h) − D(2h)|/3 bounds the truncation error of D(h)
 * and therefore (generously) of R; round-off is at most 3ε/h where ε bounds the rounding error of a
 * loss difference. An underestimate can only make the finite difference look unreliable
 * ({@code inconclusive}); it can never produce a mismatch, which only the exact oracle decides.
 */
@API(status = INTERNAL, since = "0.2")
public final class CentralDifferenceOracle {
    public static final double SMOOTH_STEP = 0x1.0p-10;
    public static final double KINK_STEP = 0x1.0p-16;

    private final double[] theta;
    private final Mlp mlp;
    private final Dataset data;
    private final Forward f;
    private IncrementalLoss losses; // built on first use: it copies the forward pass's columns
    private final double lossRounding;
    private final double baseStep;

    public CentralDifferenceOracle(Mlp mlp, double[] theta, Dataset data, Forward f, double lossRounding, boolean kinks) {
        this.theta = theta;
        this.mlp = mlp;
        this.data = data;
        this.f = f;
        this.lossRounding = lossRounding;
        this.baseStep = kinks ? KINK_STEP : SMOOTH_STEP;
    }

    /** The step for parameter p: relative to its size, made exactly representable. */
    public double step(int p) {
        return RichardsonStencil.step(theta[p], baseStep);
    }

    /** How far the stencil moves θ_p: 2h. */
    public double reach(int p) {
        return 2 * step(p);
    }

    private synchronized IncrementalLoss losses() {
        if (losses == null) {
            losses = new IncrementalLoss(mlp, theta, data, f);
        }
        return losses;
    }

    public FiniteDifference estimate(int p) {
        double h = step(p);
        double[] c = new double[4];
        losses().changes(p, RichardsonStencil.moves(h), c);
        return RichardsonStencil.estimate(c, 0, h, lossRounding);
    }

    /** The forward and the backward one-sided estimates from the same four loss changes. */
    public FiniteDifference[] oneSided(int p) {
        double h = step(p);
        double[] c = new double[4];
        losses().changes(p, RichardsonStencil.moves(h), c);
        return new FiniteDifference[] {RichardsonStencil.oneSided(c, 0, h, lossRounding, true),
                RichardsonStencil.oneSided(c, 0, h, lossRounding, false)};
    }
}
