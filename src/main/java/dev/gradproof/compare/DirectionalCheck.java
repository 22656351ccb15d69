package dev.gradproof.compare;

import dev.gradproof.network.Activations;
import dev.gradproof.network.Dataset;
import dev.gradproof.network.Forward;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.ParameterLayout;
import dev.gradproof.network.TrialData;
import dev.gradproof.oracle.DirectionalOracle;
import dev.gradproof.oracle.ExactGradient;
import dev.gradproof.oracle.ExactOracle;
import dev.gradproof.oracle.FiniteDifference;
import dev.gradproof.oracle.RichardsonStencil;

import java.util.Arrays;
import java.util.List;
import java.util.ArrayList;
import java.util.OptionalDouble;
import java.util.stream.IntStream;

/**
 * The fast check: for k random directions v, the analytic gradient's projection g·v against the
 * exact directional derivative. The tolerance is the projection of the per-parameter tolerances,
 * Σ|v_p|·tol_p, plus the rounding of the dot product g·v itself, γ_P·Σ|g_p v_p|: near machine
 * precision, so a single parameter off by 1e-4 still shows (see docs/TOLERANCE.md). Since v is
 * rank one per layer, Σ|v_p|·tol_p is formed from per-unit magnitudes without visiting every
 * parameter ({@link #projectedTolerance}).
 *
 * <p>The exact side's sanity check is a finite difference along v1 on the trial's first
 * {@link #SANITY_EXAMPLES} examples, against the exact directional derivative on the same examples:
 * the same code on a smaller loss, at a fraction of four full forward passes.
 */
final class DirectionalCheck {
    /** Step of the finite difference along a direction whose entries are O(1). */
    static final double STEP = 0x1.0p-10;
    /** Examples the finite-difference sanity check uses. */
    static final int SANITY_EXAMPLES = 256;

    private DirectionalCheck() {
    }

    /** Directions span every trainable parameter: a sample would break their rank-one structure. */
    static List<ParameterResult> run(Mlp mlp, TrialData trial, Forward f, double[] analytic, ExactGradient exact,
                                     TrialCheck.Options o) {
        ParameterLayout layout = mlp.layout();
        DirectionalOracle oracle = new DirectionalOracle(mlp, trial.theta(), trial.data(), f, exact);
        double step = mlp.hasKinks() ? 0x1.0p-16 : STEP;
        // Directions are independent: spread them over the cores.
        int[] owned = IntStream.rangeClosed(1, o.directions()).filter(d -> o.shard().owns(d)).toArray();
        ParameterResult[] out = new ParameterResult[owned.length];
        IntStream.range(0, owned.length).parallel().forEach(q -> {
            int d = owned[q];
            ParameterResult r = project(mlp, trial, analytic, exact, oracle, d, o.unitRoundoff());
            if (d == 1 && o.finiteDifference()) {
                String problem = sanity(mlp, trial, DirectionalOracle.direction(layout, trial.seed(), d), step,
                        o.unitRoundoff());
                if (problem != null && problem.startsWith("finite difference skipped")) {
                    r = withStatus(r, r.status(), r.status() == Status.MISMATCH ? null : problem);
                } else if (problem != null) {
                    r = withStatus(r, Status.INCONCLUSIVE, problem);
                }
            }
            out[q] = r;
        });
        return List.of(out);
    }

    /**
     * Direction d's projection g·v against the exact directional derivative, with the projected
     * tolerance; named {@code v<d>}, layer 0. A NaN or infinite projection is a mismatch.
     */
    static ParameterResult project(Mlp mlp, TrialData trial, double[] analytic, ExactGradient exact,
                                   DirectionalOracle oracle, int d, double implU) {
        DirectionalOracle.Direction dir = DirectionalOracle.direction(mlp.layout(), trial.seed(), d);
        double[] v = dir.flat();
        double projection = 0;
        double projectionMagnitude = 0;
        for (int p = 0; p < v.length; p++) {
            if (v[p] != 0) {
                projection += analytic[p] * v[p];
                projectionMagnitude += Math.abs(analytic[p] * v[p]);
            }
        }
        double tol = projectedTolerance(mlp, trial.theta(), exact, dir, trial.data().examples(), implU)
                + ToleranceModel.gamma(v.length, Activations.U) * projectionMagnitude * 2; // summed here, in double
        double[] exactAllowance = oracle.derivative(dir, 0);
        double e = exactAllowance[0];
        tol += exactAllowance[1];
        Status status = Within.agrees(projection, e, tol) ? Status.OK : Status.MISMATCH;
        double rel = Double.isFinite(projection) ? ToleranceModel.relativeError(projection, e) : Double.POSITIVE_INFINITY;
        return new ParameterResult("v" + d, -1, 0, false, trial.index(), projection, Double.NaN, e, rel,
                ToleranceModel.relative(tol, Double.isFinite(projection) ? projection : 0, e), Math.abs(projection - e),
                tol, status, Double.isFinite(projection) ? null : "the analytic gradient's projection is " + projection);
    }

    /**
     * Whether no direction could decide anything: none disagrees, and each agrees only because both
     * projections lie within the projected tolerance of zero (or could not be decided).
     */
    static boolean undecidedAlongEveryDirection(List<ParameterResult> directions) {
        return !directions.isEmpty() && directions.stream().allMatch(r -> r.status() == Status.INCONCLUSIVE
                || r.status() != Status.MISMATCH && !r.resolvable());
    }

    private static ParameterResult withStatus(ParameterResult r, Status s, String note) {
        return new ParameterResult(r.parameter(), r.index(), r.layer(), r.bias(), r.trial(), r.analytic(),
                r.finiteDifference(), r.exact(), r.relativeError(), r.tolerance(), r.absoluteError(), r.absoluteTolerance(),
                s, note);
    }

    /** Directions the exhaustive mode adds to a sampled own-consistency check, so no parameter goes unseen. */
    static final int OWN_CHECK_DIRECTIONS = 8;

    /**
     * The exhaustive mode's own-consistency check of a large black box compares a sample of parameters
     * with finite differences of its own loss; a backward bug in a parameter outside the sample would go
     * unseen, and a convention in its forward pass would excuse it as {@code forward-differs}. Random
     * directions cover every parameter at once: their projections are checked against the
     * implementation's own loss as well.
     */
    static Consistency ownConsistencyAlongDirections(Mlp mlp, TrialCheck.Analytic impl, TrialData trial, Forward f,
                                                     double[] analytic, ExactGradient exact, double implU) {
        DirectionalOracle oracle = new DirectionalOracle(mlp, trial.theta(), trial.data(), f, exact);
        List<ParameterResult> directions = new ArrayList<>();
        for (int d = 1; d <= OWN_CHECK_DIRECTIONS; d++) {
            directions.add(project(mlp, trial, analytic, exact, oracle, d, implU));
        }
        return ownConsistency(mlp, impl, trial, f, analytic, directions, implU);
    }

    /**
     * An implementation with its own forward pass, compared with itself along the check's directions: its
     * loss against the spec's, and each projection g·v against the Richardson finite difference of its
     * own loss along v (four loss evaluations per direction). The same reasoning as the exhaustive
     * mode's {@link OwnConsistencyCheck}, so the two modes reach the same verdict: a gradient that is
     * the gradient of another loss is {@code forward-differs}, not a backward bug. Directions along
     * which a kink lies within the stencil are left out (a finite difference there proves nothing).
     */
    static Consistency ownConsistency(Mlp mlp, TrialCheck.Analytic impl, TrialData trial, Forward f, double[] analytic,
                                      List<ParameterResult> directions, double implU) {
        OptionalDouble own = impl.ownLoss();
        if (own.isEmpty()) {
            return Consistency.notApplicable();
        }
        double[] theta = trial.theta();
        Dataset data = trial.data();
        ExactGradient exact = ExactOracle.compute(mlp, theta, data, f, implU, false);
        double implLoss = own.getAsDouble();
        double eps = exact.lossRounding() * (implU / 0x1.0p-53)
                + ToleranceModel.gamma(data.examples() + 4, implU) * Math.abs(implLoss);
        double lossTol = 2 * (eps + exact.lossRounding());
        DirectionalOracle oracle = new DirectionalOracle(mlp, theta, data, f, exact);
        double h = implU > 0x1.0p-53 ? OwnConsistencyCheck.FLOAT32_STEP : mlp.hasKinks() ? 0x1.0p-16 : STEP;
        double[] offsets = RichardsonStencil.moves(h);
        List<ParameterResult> eligible = new ArrayList<>();
        List<double[]> points = new ArrayList<>();
        for (ParameterResult r : directions) {
            DirectionalOracle.Direction dir = DirectionalOracle.direction(mlp.layout(), trial.seed(),
                    Integer.parseInt(r.parameter().substring(1)));
            if (oracle.derivative(dir, h)[2] != 0) {
                continue;
            }
            eligible.add(r);
            for (double t : offsets) {
                double[] moved = theta.clone();
                for (int p = 0; p < moved.length; p++) {
                    moved[p] += t * dir.flat()[p];
                }
                points.add(moved);
            }
        }
        double[] losses = eligible.isEmpty() ? new double[0] : impl.ownLossesAt(points.toArray(new double[0][]), data);
        if (losses == null) {
            return new Consistency(true, implLoss, f.loss, lossTol, 0, List.of(), 0, List.of(), 0);
        }
        List<String> disagreeing = new ArrayList<>();
        for (int q = 0; q < eligible.size(); q++) {
            // Losses, not changes: the stencil reads differences of them, so the base loss cancels.
            FiniteDifference fd = RichardsonStencil.estimate(losses, 4 * q, h, eps);
            ParameterResult r = eligible.get(q);
            if (!Within.agrees(r.analytic(), fd.value(), fd.error() + r.absoluteTolerance())) {
                disagreeing.add(r.parameter());
            }
        }
        return new Consistency(true, implLoss, f.loss, lossTol, 0, List.copyOf(disagreeing), 0, List.of(), eligible.size());
    }

    /**
     * The finite difference along v on the first examples against the exact directional derivative on
     * the same examples. Null when they agree; otherwise what went wrong, for the report.
     */
    static String sanity(Mlp mlp, TrialData trial, DirectionalOracle.Direction dir, double step, double implU) {
        Dataset all = trial.data();
        int m = Math.min(all.examples(), SANITY_EXAMPLES);
        Dataset data = m == all.examples() ? all : new Dataset(m, all.inputs(), all.outputs(),
                Arrays.copyOf(all.x(), m * all.inputs()), Arrays.copyOf(all.y(), m * all.outputs()));
        Forward f = mlp.forward(trial.theta(), data);
        ExactGradient exact = ExactOracle.compute(mlp, trial.theta(), data, f);
        DirectionalOracle oracle = new DirectionalOracle(mlp, trial.theta(), data, f, exact);
        double[] derivative = oracle.derivative(dir, step);
        String where = m == all.examples() ? "" : " (on the first " + m + " of " + all.examples() + " examples)";
        if (derivative[2] != 0) {
            return "finite difference skipped: a kink lies within reach along v1" + where;
        }
        double tol = projectedTolerance(mlp, trial.theta(), exact, dir, m, implU) + derivative[1];
        FiniteDifference fd = oracle.finiteDifference(dir, step);
        if (Math.abs(fd.value() - derivative[0]) > fd.error() + tol) {
            return "finite difference along v1" + where + " disagrees with the exact directional derivative by "
                    + TrialCheck.fmt(Math.abs(fd.value() - derivative[0])) + " > its error bound "
                    + TrialCheck.fmt(fd.error() + tol);
        }
        return null;
    }

    /**
     * Σ_p |v_p|·tol_p for the per-parameter tolerance of {@link ToleranceModel#analyticVsExact} (no kink
     * allowance: the oracle adds its own), in O(N·(in + out)) per layer. For W_l[i,j] the magnitude is
     * Σ_e mag[e,i]·|a[e,j]|, so with v = u wᵀ the sum over i, j factors per example:
     * Σ_e (Σ_i |u_i| mag[e,i]) (Σ_j |w_j| |a[e,j]|). tol_p = 2γ(M + E) + E + 2(K + 1)·subnormal with
     * M + E the widened magnitude and E the difference, so each layer needs two such sums.
     */
    static double projectedTolerance(Mlp mlp, double[] theta, ExactGradient exact, DirectionalOracle.Direction dir,
                                     int examples, double implU) {
        ParameterLayout layout = mlp.layout();
        ExactGradient.UnitMagnitudes units = exact.units();
        double subnormal = implU > 0x1.0p-53 ? Float.MIN_VALUE : Double.MIN_VALUE;
        double penaltyWidening = exact.forwardError() == null ? 1 : 1 + 2 * implU;
        double l2 = mlp.l2Scale(examples);
        double total = 0;
        for (int l = 1; l <= layout.layers(); l++) {
            int in = layout.size(l - 1);
            int out = layout.size(l);
            double[] u = dir.u()[l - 1];
            double[] w = dir.w()[l - 1];
            double[] c = dir.c()[l - 1];
            double[] both = projectedMagnitudes(units, l, u, w, c, examples, in, out);
            double widened = both[0];
            double plain = both[1];
            double weight = 0; // Σ|v_p| over the layer
            double penalty = 0;
            for (int p = layout.weightOffset(l - 1); p < (l < layout.layers() ? layout.weightOffset(l) : theta.length); p++) {
                double vp = Math.abs(dir.flat()[p]);
                weight += vp;
                if (mlp.penalised(p)) {
                    penalty += vp * Math.abs(l2 * theta[p]);
                }
            }
            widened += penalty * penaltyWidening;
            plain += penalty;
            int chain = ToleranceModel.chainLength(layout, l, examples);
            double g = ToleranceModel.gamma(chain, implU);
            total += 2 * g * widened + Math.max(0, widened - plain) + 2 * (chain + 1) * subnormal * weight;
        }
        return total;
    }

    /**
     * {widened, plain}: Σ_e (Σ_i |u_i| mag[e,i]) (Σ_j |w_j| input[e,j]) + Σ_i |c_i| Σ_e mag[e,i], with the
     * widened magnitudes and inputs, and with the plain ones (the input sums are shared when the
     * implementation shares the forward pass, as its inputs are then not widened).
     */
    private static double[] projectedMagnitudes(ExactGradient.UnitMagnitudes units, int l, double[] u, double[] w,
                                                double[] c, int examples, int in, int out) {
        double[] mag = units.mag()[l];
        double[] magEps = units.magEps()[l];
        double[] input = units.input()[l - 1];
        double[] inputEps = units.inputEps()[l - 1];
        double widened = 0;
        double plain = 0;
        for (int e = 0; e < examples; e++) {
            double unitsEps = 0;
            double unitsPlain = 0;
            for (int i = 0; i < out; i++) {
                double ui = Math.abs(u[i]);
                double ci = Math.abs(c[i]);
                unitsEps += ui * magEps[e * out + i];
                unitsPlain += ui * mag[e * out + i];
                widened += ci * magEps[e * out + i];
                plain += ci * mag[e * out + i];
            }
            if (unitsEps == 0 && unitsPlain == 0) {
                continue;
            }
            double inputsPlain = 0;
            for (int j = 0; j < in; j++) {
                inputsPlain += Math.abs(w[j]) * input[e * in + j];
            }
            double inputsEps = inputsPlain;
            if (inputEps != input) {
                inputsEps = 0;
                for (int j = 0; j < in; j++) {
                    inputsEps += Math.abs(w[j]) * inputEps[e * in + j];
                }
            }
            widened += unitsEps * inputsEps;
            plain += unitsPlain * inputsPlain;
        }
        return new double[] {widened, plain};
    }
}
