package dev.gradproof.oracle;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * The one Richardson-extrapolated central difference every finite difference in gradproof uses
 * (see {@link CentralDifferenceOracle} for the step/error trade-off): loss changes at θ ± h and
 * θ ± 2h, D(h) = (ΔL(h) − ΔL(−h))/2h, R = (4·D(h) − D(2h))/3, and the error bound
 * 2·(|D(h) − D(2h)|/3 + 3·2ε/h) with ε a bound on the rounding error of one loss change.
 */
@API(status = INTERNAL, since = "0.2")
public final class RichardsonStencil {
    private RichardsonStencil() {
    }

    /** base·max(1, |θ|), made exactly representable: (θ + h) − θ. */
    public static double step(double theta, double base) {
        double h = base * Math.max(1, Math.abs(theta));
        return (theta + h) - theta;
    }

    /** The four moves, in the order {@link #estimate} reads the changes: h, −h, 2h, −2h. */
    public static double[] moves(double h) {
        return new double[] {h, -h, 2 * h, -2 * h};
    }

    /**
     * One-sided, for a parameter whose central stencil straddles a kink: from the changes at s·h and s·2h
     * only (s = +1 forward, −1 backward; the same four {@link #moves}, so it costs nothing more),
     * D(h) = s·ΔL(s·h)/h, R = 2·D(h) − D(2h) (O(h²)), error bound 2·(|D(h) − D(2h)| + 2.5ε/h). When the
     * kink lies on the other side it is the derivative on this side; when it lies within this side too,
     * D(h) and D(2h) disagree and the bound says so.
     */
    public static FiniteDifference oneSided(double[] c, int off, double h, double eps, boolean forward) {
        double s = forward ? 1 : -1;
        double d1 = s * c[off + (forward ? 0 : 1)] / h;
        double d2 = s * c[off + (forward ? 2 : 3)] / (2 * h);
        return new FiniteDifference(2 * d1 - d2, 2 * (Math.abs(d1 - d2) + 2.5 * eps / h), h);
    }

    /** R and its error bound from the loss changes at the four {@link #moves}, read from {@code c[off ..]}. */
    public static FiniteDifference estimate(double[] c, int off, double h, double eps) {
        double d1 = (c[off] - c[off + 1]) / (2 * h);
        double d2 = (c[off + 2] - c[off + 3]) / (4 * h);
        double r = (4 * d1 - d2) / 3;
        double truncation = Math.abs(d1 - d2) / 3;
        double roundoff = 3 * 2 * eps / h;
        return new FiniteDifference(r, 2 * (truncation + roundoff), h);
    }
}
