package dev.gradproof.compare;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activations;
import dev.gradproof.network.graph.GraphCase;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.oracle.FiniteDifference;
import dev.gradproof.oracle.RichardsonStencil;
import dev.gradproof.oracle.graph.GraphExactGradient;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.apiguardian.api.API;

/**
 * The fast check of a layer graph: along k random Gaussian directions v over the trainable parameters,
 * the analytic gradient's projection g·v against the exact one e·v. The tolerance is the projection of
 * the per-parameter tolerances, Σ|v_p|·tol_p, plus the rounding of the two dot products, γ_P·Σ|g_p v_p|
 * and γ_P·Σ|e_p v_p| (twice each): a single parameter off by far less than a millionth still shows. The
 * exact oracle's sanity check is one Richardson finite difference of the loss along v1 (four forward
 * passes). What it saves is the per-parameter finite differences, which are most of the exhaustive
 * check's time; the exact gradient is computed in full either way.
 */
@API(status = INTERNAL, since = "0.2")
final class GraphDirectionalCheck {
    /** Step along a direction of O(1) entries. */
    static final double STEP = 0x1.0p-10;

    private GraphDirectionalCheck() {
    }

    static List<ParameterResult> run(GraphCase c, int trial, double[] analytic, GraphExactGradient exact, int[] params,
                                     TrialCheck.Options o) {
        GraphNetwork g = c.network();
        int n = c.data().examples();
        double u = o.unitRoundoff();
        List<ParameterResult> out = new ArrayList<>();
        for (int d = 1; d <= o.directions(); d++) {
            if (!o.shard().owns(d)) {
                continue;
            }
            double[] v = direction(c, params, d);
            double projection = 0;
            double exactProjection = 0;
            double magnitude = 0;
            double exactMagnitude = 0;
            double tol = 0;
            for (int p : params) {
                if (v[p] == 0) {
                    continue;
                }
                projection += analytic[p] * v[p];
                magnitude += Math.abs(analytic[p] * v[p]);
                exactProjection += exact.value()[p] * v[p];
                exactMagnitude += Math.abs(exact.value()[p] * v[p]);
                tol += Math.abs(v[p]) * ToleranceModel.analyticVsExact(exact.magnitude()[p], exact.localError()[p],
                        exact.kinkAllowance()[p], exact.chain()[p], u);
            }
            // Both dot products are summed here, in double, whatever precision the gradient was computed in:
            // their rounding is double's. (Charging float32's to them made a LeNet-5 projection, ~sqrt(P)
            // times a typical term, smaller than 2·γ_P·Σ|g·v| ~ P·u times it: nothing could be compared.)
            double gammaP = ToleranceModel.gamma(params.length, Activations.U);
            tol += 2 * gammaP * (magnitude + exactMagnitude);
            Status status = Within.agrees(projection, exactProjection, tol) ? Status.OK : Status.MISMATCH;
            String note = Double.isFinite(projection) ? null : "the analytic gradient's projection is " + projection;
            if (d == 1 && o.finiteDifference()) {
                String problem = sanity(g, c, v, exactProjection, exact.lossRounding(), tol);
                if (problem != null && g.hasKinks()) {
                    note = note != null ? note : "finite difference along v1 skipped: " + problem
                            + " (the network has kinks, which a step along every parameter may cross)";
                } else if (problem != null) {
                    status = Status.INCONCLUSIVE;
                    note = problem;
                }
            }
            double rel = Double.isFinite(projection) ? ToleranceModel.relativeError(projection, exactProjection)
                    : Double.POSITIVE_INFINITY;
            out.add(new ParameterResult("v" + d, -1, 0, false, trial, projection, Double.NaN, exactProjection, rel,
                    ToleranceModel.relative(tol, Double.isFinite(projection) ? projection : 0, exactProjection),
                    Math.abs(projection - exactProjection), tol, status, note));
        }
        return out;
    }

    /**
     * An implementation with its own forward pass, compared with itself: its loss against the spec's, and
     * each direction's projection against the Richardson difference of its own loss along that direction.
     */
    static Consistency ownConsistency(GraphCase c, GraphTrialCheck.Analytic impl, double specLoss,
                                      GraphExactGradient exact, List<ParameterResult> directions, int[] params,
                                      double implU) {
        java.util.OptionalDouble own = impl.ownLoss();
        if (own.isEmpty()) {
            return Consistency.notApplicable();
        }
        double implLoss = own.getAsDouble();
        double eps = exact.lossRounding() * (implU / Activations.U)
                + ToleranceModel.gamma(c.data().examples() + 4, implU) * Math.abs(implLoss);
        double lossTol = 2 * (eps + exact.lossRounding());
        double h = implU > Activations.U ? OwnConsistencyCheck.FLOAT32_STEP : c.network().hasKinks() ? 0x1.0p-16 : STEP;
        double[] moves = RichardsonStencil.moves(h);
        List<double[]> points = new ArrayList<>();
        for (ParameterResult r : directions) {
            double[] v = direction(c, params, Integer.parseInt(r.parameter().substring(1)));
            for (double t : moves) {
                double[] moved = c.theta().clone();
                for (int p = 0; p < moved.length; p++) {
                    moved[p] += t * v[p];
                }
                points.add(moved);
            }
        }
        double[] losses = impl.ownLossesAt(points.toArray(new double[0][]), c);
        if (losses == null) {
            return new Consistency(true, implLoss, specLoss, lossTol, 0, List.of(), 0, List.of(), 0);
        }
        List<String> disagreeing = new ArrayList<>();
        for (int q = 0; q < directions.size(); q++) {
            ParameterResult r = directions.get(q);
            FiniteDifference fd = RichardsonStencil.estimate(losses, 4 * q, h, eps);
            if (!Within.agrees(r.analytic(), fd.value(), fd.error() + r.absoluteTolerance())) {
                disagreeing.add(r.parameter());
            }
        }
        return new Consistency(true, implLoss, specLoss, lossTol, 0, List.copyOf(disagreeing), 0, List.of(),
                directions.size());
    }

    /** Direction d of a trial: independent Gaussians on the checked parameters, 0 elsewhere. */
    static double[] direction(GraphCase c, int[] params, int d) {
        SplittableRandom rnd = new SplittableRandom(c.data().seed() * 0x9E3779B97F4A7C15L + d);
        double[] v = new double[c.theta().length];
        for (int p : params) {
            double u1 = rnd.nextDouble();
            double u2 = rnd.nextDouble();
            v[p] = Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
        }
        return v;
    }

    /** The Richardson difference of the loss along v against e·v; null when they agree. */
    private static String sanity(GraphNetwork g, GraphCase c, double[] v, double exactProjection, double lossRounding,
                                 double tol) {
        double step = g.hasKinks() ? 0x1.0p-16 : STEP;
        double[] moves = RichardsonStencil.moves(step);
        double[] losses = new double[4];
        double[] theta = c.theta();
        for (int q = 0; q < 4; q++) {
            double[] moved = theta.clone();
            for (int p = 0; p < moved.length; p++) {
                moved[p] += moves[q] * v[p];
            }
            losses[q] = g.forward(moved, c.data()).loss;
        }
        FiniteDifference fd = RichardsonStencil.estimate(losses, 0, step, lossRounding);
        if (Within.agrees(fd.value(), exactProjection, fd.error() + tol)) {
            return null;
        }
        return String.format(Locale.ROOT, "finite difference along v1 disagrees with the exact directional derivative"
                + " by %.3g > its error bound %.3g", Math.abs(fd.value() - exactProjection), fd.error() + tol);
    }
}
