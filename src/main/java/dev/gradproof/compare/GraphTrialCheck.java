package dev.gradproof.compare;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activations;
import dev.gradproof.network.graph.GraphCase;
import dev.gradproof.network.graph.GraphForward;
import dev.gradproof.network.graph.GraphLayout;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.oracle.graph.GraphExactGradient;
import dev.gradproof.oracle.graph.GraphFiniteDifference;
import dev.gradproof.oracle.graph.GraphFiniteDifferences;
import dev.gradproof.oracle.graph.TapeOracle;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

import org.apiguardian.api.API;

/**
 * One trial of a layer graph, parameter by parameter, decided as a dense chain's is ({@link TrialCheck}):
 * the exact oracle (the scalar tape) decides within tol = 2γ_K(M + E) + E + A; the finite difference must
 * agree with it, unless a kink or tie changed sides within its stencil (then it says nothing); a value or
 * tolerance that is not finite is never agreement.
 */
@API(status = INTERNAL, since = "0.2")
public final class GraphTrialCheck {

    /** The gradient under test of a graph. */
    @FunctionalInterface
    public interface Analytic {
        double[] gradient(GraphNetwork g, double[] theta, GraphCase c, GraphForward f);

        /** Unit roundoff of the precision it computes in; asked after {@link #gradient}. */
        default double unitRoundoff() {
            return Activations.U;
        }

        /** Whether its gradient was computed from the engine's own forward pass (in-process variants are). */
        default boolean sharesForward() {
            return true;
        }

        /** Its own loss at the point of the last {@link #gradient} call, when it has its own forward pass. */
        default OptionalDouble ownLoss() {
            return OptionalDouble.empty();
        }

        /** Its own loss at each of the given parameter vectors; null if unsupported. */
        default double[] ownLossesAt(double[][] points, GraphCase c) {
            return null;
        }

        /** The reference network's own hand-written backward pass. */
        Analytic REFERENCE = (g, theta, c, f) -> g.gradient(theta, c.data(), f);
    }

    /** A trial's comparisons and, for an implementation with its own forward pass, its consistency checks. */
    public record Outcome(List<ParameterResult> results, Consistency consistency) {
    }

    private GraphTrialCheck() {
    }

    public static List<ParameterResult> check(GraphCase c, int trial, Analytic implementation, int[] params,
                                              TrialCheck.Options options, IntConsumer progress) {
        return run(c, trial, implementation, params, options, progress).results();
    }

    public static Outcome run(GraphCase c, int trial, Analytic implementation, int[] params,
                              TrialCheck.Options options, IntConsumer progress) {
        GraphNetwork g = c.network();
        double[] theta = c.theta();
        GraphForward f = g.forward(theta, c.data());
        if (!Double.isFinite(f.loss)) {
            throw new IllegalStateException("the loss is " + f.loss + " at trial " + trial + " (seed " + c.data().seed()
                    + "): the network overflows with these weights and data");
        }
        double[] analytic = implementation.gradient(g, theta, c, f);
        GraphExactGradient exact = TapeOracle.compute(g, theta, c.data());
        double implU = Math.max(options.unitRoundoff(), implementation.unitRoundoff());
        if (!implementation.sharesForward()) {
            exact = ownForward(exact, implU);
        }
        TrialCheck.Options o = new TrialCheck.Options(options.exact(), options.finiteDifference(),
                options.fixedTolerance(), implU, options.directions(), options.shard());
        if (options.directions() > 0) {
            List<ParameterResult> directions = GraphDirectionalCheck.run(c, trial, analytic, exact, params, o);
            Consistency consistency = implementation.sharesForward() ? Consistency.notApplicable()
                    : GraphDirectionalCheck.ownConsistency(c, implementation, f.loss, exact, directions, params, implU);
            // Sharded, the shard that owns v1 is the one to fall back, so no parameter is judged twice.
            if (!o.shard().owns(1) || !DirectionalCheck.undecidedAlongEveryDirection(directions)) {
                return new Outcome(directions, consistency);
            }
            // The projected bound sums every parameter's, so a few loose ones (float32 through LeNet-5's first
            // convolution: a bound of 2 on a gradient of 1e-3) can cover every projection. The exact gradient
            // is here in full already: judge each parameter against it (no finite differences, whose sanity
            // check along v1 has run), as the exhaustive mode with finite differences off does.
            List<ParameterResult> all = new ArrayList<>(directions);
            GraphExactGradient ex = exact;
            all.addAll(IntStream.range(0, params.length).parallel()
                    .mapToObj(q -> judge(g.layout(), trial, params[q], analytic[params[q]], ex, null, o)).toList());
            return new Outcome(List.copyOf(all), consistency);
        }
        GraphFiniteDifferences fd = options.finiteDifference()
                ? new GraphFiniteDifferences(g, theta, c.data(), exact.lossRounding()) : null;
        ParameterResult[] out = new ParameterResult[params.length];
        GraphExactGradient ex = exact;
        IntStream.range(0, params.length).parallel().forEach(q -> {
            out[q] = judge(g.layout(), trial, params[q], analytic[params[q]], ex, fd, o);
            if (progress != null) {
                progress.accept(1);
            }
        });
        List<ParameterResult> results = List.of(out);
        if (implementation.sharesForward()) {
            return new Outcome(results, Consistency.notApplicable());
        }
        // Its own loss against the spec's, and its gradient against its own loss along random directions
        // over every checked parameter: as for a dense black box, a forward convention is told from a bug.
        List<ParameterResult> directions = GraphDirectionalCheck.run(c, trial, analytic, exact, params,
                new TrialCheck.Options(true, false, null, implU, DirectionalCheck.OWN_CHECK_DIRECTIONS, o.shard()));
        return new Outcome(results, GraphDirectionalCheck.ownConsistency(c, implementation, f.loss, exact, directions,
                params, implU));
    }

    /**
     * The exact gradient's bounds for an implementation that runs its own forward pass, in its precision:
     * its values there differ from ours by their rounding, which moves the gradient by about the
     * forward-widened magnitude minus the plain one (at double precision), scaled to its unit roundoff.
     */
    static GraphExactGradient ownForward(GraphExactGradient e, double implU) {
        double scale = implU / Activations.U;
        double[] local = e.localError().clone();
        for (int p = 0; p < local.length; p++) {
            local[p] += Math.max(0, e.forwardMagnitude()[p] - e.magnitude()[p]) * scale;
        }
        return new GraphExactGradient(e.loss(), e.value(), e.magnitude(), local, e.kinkAllowance(), e.forwardMagnitude(),
                e.chain(), e.kinkOnPath(), e.lossRounding(), e.inputGradient(), e.inputMagnitude(),
                e.inputForwardMagnitude(), e.kinks(), e.ties(), e.note());
    }

    static ParameterResult judge(GraphLayout layout, int trial, int p, double a, GraphExactGradient exact,
                                 GraphFiniteDifferences fdOracle, TrialCheck.Options o) {
        double e = exact.value()[p];
        if (!Double.isFinite(e)) {
            throw new IllegalStateException("the exact gradient of " + layout.name(p) + " is " + e + " at trial " + trial
                    + ": the loss is not differentiable at these weights and data");
        }
        double allowance = exact.kinkAllowance()[p];
        double tolExact = ToleranceModel.analyticVsExact(exact.magnitude()[p], exact.localError()[p], allowance,
                exact.chain()[p], o.unitRoundoff());
        if (!Double.isFinite(a)) {
            return result(layout, trial, p, a, Double.NaN, e, Double.POSITIVE_INFINITY, tolExact, Status.MISMATCH,
                    "the analytic gradient is " + a);
        }
        if (!Double.isFinite(tolExact)) {
            return result(layout, trial, p, a, Double.NaN, e, Math.abs(a - e), tolExact, Status.INCONCLUSIVE,
                    "the rounding bound is " + tolExact + " (terms of the gradient beyond the range of double): nothing"
                            + " can be decided here");
        }
        double tol = o.fixedTolerance() != null ? o.fixedTolerance() * Math.max(Math.abs(a), Math.abs(e)) + allowance
                : tolExact;
        String kinkNote = exact.kinkOnPath()[p] && allowance > 0
                ? "derivative convention at a kink or tie (" + exact.note() + ")" : null;
        GraphFiniteDifference fd = fdOracle == null ? null : fdOracle.estimate(p);
        if (fd != null && fd.kinkCrossed()) {
            Status s = Within.agrees(a, e, tol) ? Status.KINK : Status.MISMATCH;
            return result(layout, trial, p, a, Double.NaN, e, Math.abs(a - e), tol, s,
                    s == Status.MISMATCH ? null : "finite difference skipped: " + fd.note());
        }
        double fdValue = fd == null ? Double.NaN : fd.value();
        if (fd != null && !Within.agrees(fdValue, e, fd.error() + tolExact)) {
            String why = !Double.isFinite(fdValue) ? "the finite difference is " + fdValue
                    : "finite difference disagrees with exact by " + fmt(Math.abs(fdValue - e)) + " > its error bound "
                            + fmt(fd.error() + tolExact);
            if (Within.agrees(a, e, tol)) {
                return result(layout, trial, p, a, fdValue, e, Math.abs(a - e), tol, kinkNote != null ? Status.KINK
                        : Status.OK, why + ": the finite difference is unreliable here; the analytic gradient agrees with"
                        + " the exact one");
            }
            return result(layout, trial, p, a, fdValue, e, Math.abs(a - e), tol, Status.INCONCLUSIVE, why
                    + ", and the analytic gradient disagrees with the exact one: the oracles cannot decide (please report it)");
        }
        Status s = !Within.agrees(a, e, tol) ? Status.MISMATCH : kinkNote != null ? Status.KINK : Status.OK;
        return result(layout, trial, p, a, fdValue, e, Math.abs(a - e), tol, s, s == Status.MISMATCH ? null : kinkNote);
    }

    private static ParameterResult result(GraphLayout layout, int trial, int p, double a, double fd, double e,
                                          double err, double tol, Status s, String note) {
        double ref = Double.isNaN(e) ? fd : e;
        double rel = !Double.isFinite(a) ? Double.POSITIVE_INFINITY
                : Double.isNaN(ref) ? 0 : ToleranceModel.relativeError(a, ref);
        double relTol = Double.isNaN(ref) ? 0 : ToleranceModel.relative(tol, Double.isFinite(a) ? a : 0, ref);
        return new ParameterResult(layout.name(p), p, layout.layer(p), layout.isBias(p), trial, a, fd, e, rel, relTol,
                err, tol, s, note);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
