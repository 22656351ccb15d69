package dev.gradproof.compare;

import dev.gradproof.network.Forward;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.ParameterLayout;
import dev.gradproof.network.Trial;
import dev.gradproof.oracle.DirectionalOracle;
import dev.gradproof.oracle.ExactGradient;
import dev.gradproof.oracle.FiniteDifference;

import java.util.ArrayList;
import java.util.List;

/**
 * The fast check: for k random directions v, the analytic gradient's projection g·v against the
 * exact directional derivative. The tolerance is the projection of the per-parameter tolerances,
 * Σ|v_p|·tol_p, plus the rounding of the dot product g·v itself, γ_P·Σ|g_p v_p|: near machine
 * precision, so a single parameter off by 1e-4 still shows (see docs/TOLERANCE.md).
 *
 * <p>A finite difference along the first direction is the sanity check of the exact side.
 */
final class DirectionalCheck {
    /** Step of the finite difference along a direction whose entries are O(1). */
    static final double STEP = 0x1.0p-10;

    private DirectionalCheck() {
    }

    /** Directions span every trainable parameter: a sample would break their rank-one structure. */
    static List<ParameterResult> run(Mlp mlp, Trial trial, Forward f, double[] analytic, ExactGradient exact,
                                     TrialCheck.Options o, double[] parameterTolerance) {
        ParameterLayout layout = mlp.layout();
        DirectionalOracle oracle = new DirectionalOracle(mlp, trial.theta(), trial.data(), f, exact);
        boolean kinks = mlp.hasKinks();
        double step = kinks ? 0x1.0p-16 : STEP;
        List<ParameterResult> out = new ArrayList<>();
        for (int d = 1; d <= o.directions(); d++) {
            if (!o.shard().owns(d)) {
                continue;
            }
            DirectionalOracle.Direction dir = DirectionalOracle.direction(layout, trial.seed(), d);
            double[] v = dir.flat();
            double projection = 0;
            double projectionMagnitude = 0;
            double tol = 0;
            for (int p = 0; p < v.length; p++) {
                if (v[p] != 0) {
                    projection += analytic[p] * v[p];
                    projectionMagnitude += Math.abs(analytic[p] * v[p]);
                    tol += Math.abs(v[p]) * parameterTolerance[p];
                }
            }
            tol += ToleranceModel.gamma(v.length, o.unitRoundoff()) * projectionMagnitude * 2;
            boolean withFd = d == 1 && o.finiteDifference();
            double[] exactAllowanceNear = oracle.derivative(dir, withFd ? step : 0);
            double e = exactAllowanceNear[0];
            tol += exactAllowanceNear[1];
            boolean nearKink = exactAllowanceNear[2] != 0;
            double fdValue = Double.NaN;
            Status status = Math.abs(projection - e) > tol ? Status.MISMATCH : nearKink ? Status.KINK : Status.OK;
            String note = nearKink && status != Status.MISMATCH ? "a kink lies within reach along v" + d
                    + (withFd ? ": finite difference skipped" : "") : null;
            if (withFd && !nearKink) {
                FiniteDifference fd = oracle.finiteDifference(dir, step);
                fdValue = fd.value();
                if (Math.abs(fd.value() - e) > fd.error() + tol) {
                    status = Status.INCONCLUSIVE;
                    note = "finite difference along v1 disagrees with the exact directional derivative by "
                            + TrialCheck.fmt(Math.abs(fd.value() - e)) + " > its error bound " + TrialCheck.fmt(fd.error() + tol);
                }
            }
            double rel = ToleranceModel.relativeError(projection, e);
            out.add(new ParameterResult("v" + d, -1, 0, false, trial.index(), projection, fdValue, e, rel,
                    ToleranceModel.relative(tol, projection, e), Math.abs(projection - e), tol, status, note));
        }
        return out;
    }
}
