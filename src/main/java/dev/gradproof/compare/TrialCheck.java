package dev.gradproof.compare;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activation;
import dev.gradproof.network.Activations;
import dev.gradproof.network.Forward;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.ParameterLayout;
import dev.gradproof.network.TrialData;
import dev.gradproof.oracle.CentralDifferenceOracle;
import dev.gradproof.oracle.ExactGradient;
import dev.gradproof.oracle.ExactOracle;
import dev.gradproof.oracle.FiniteDifference;
import dev.gradproof.oracle.Kinks;
import dev.gradproof.oracle.Tangent;
import dev.gradproof.oracle.TangentOracle;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import dev.gradproof.network.Dataset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import org.apiguardian.api.API;

/**
 * Compares the analytic gradient of one trial with the oracles, parameter by parameter.
 *
 * <p>The exact oracle decides; the finite difference must agree with it, or the parameter is
 * {@link Status#INCONCLUSIVE} (the harness's own oracle is unreliable there, the implementation is not
 * blamed). The tangent oracle cross-checks the exact one and locates kinks. Without the exact oracle,
 * the finite difference decides.
 */
@API(status = INTERNAL, since = "0.2")
public final class TrialCheck {

    /** How a check is configured, independent of where the spec came from. */
    public record Options(boolean exact, boolean finiteDifference, Double fixedTolerance, double unitRoundoff,
                          int directions, Shard shard) {
        public Options(boolean exact, boolean finiteDifference, Double fixedTolerance, double unitRoundoff) {
            this(exact, finiteDifference, fixedTolerance, unitRoundoff, 0, Shard.ALL);
        }

        public static Options defaults() {
            return new Options(true, true, null, Activations.U);
        }
    }

    /** An analytic gradient source: the implementation under test. */
    @FunctionalInterface
    public interface Analytic {
        double[] gradient(double[] theta, Dataset data, Forward forward);

        /** Unit roundoff of the precision it computes in; asked after {@link #gradient}. */
        default double unitRoundoff() {
            return Activations.U;
        }

        /** Whether its gradient was computed from the engine's own forward pass (the reference's is). */
        default boolean sharesForward() {
            return false;
        }

        /** Its own loss at the point of the last {@link #gradient} call, when it reports one. */
        default OptionalDouble ownLoss() {
            return OptionalDouble.empty();
        }

        /** Its own loss with parameter {@code params[i]} moved by {@code deltas[i]}, each alone; null if unsupported. */
        default double[] ownLosses(double[] theta, Dataset data, int[] params, double[] deltas) {
            return null;
        }

        /** Its own loss at each of the given parameter vectors; null if unsupported. */
        default double[] ownLossesAt(double[][] points, Dataset data) {
            return null;
        }
    }

    /** A trial's comparisons plus, for implementations with their own forward pass, the consistency checks. */
    public record Outcome(List<ParameterResult> results, Consistency consistency) {
    }

    private TrialCheck() {
    }

    public static List<ParameterResult> run(Mlp mlp, Analytic implementation, TrialData trial, int[] parameters,
                                            Options options, IntConsumer progress) {
        return check(mlp, implementation, trial, parameters, options, progress).results();
    }

    public static Outcome check(Mlp mlp, Analytic implementation, TrialData trial, int[] parameters,
                                Options options, IntConsumer progress) {
        double[] theta = trial.theta();
        Forward f = mlp.forward(theta, trial.data());
        if (!Double.isFinite(f.loss)) {
            throw new IllegalStateException("the loss is " + f.loss + " at trial " + trial.index()
                    + " (seed " + trial.seed() + "): the network overflows with these weights and data");
        }
        double[] analytic = implementation.gradient(theta, trial.data(), f);
        double implU = Math.max(options.unitRoundoff(), implementation.unitRoundoff());
        Options o = new Options(options.exact(), options.finiteDifference(), options.fixedTolerance(), implU,
                options.directions(), options.shard());
        ParameterLayout layout = mlp.layout();
        boolean kinks = mlp.hasKinks();
        List<ParameterResult> undecided = List.of();
        if (o.directions() > 0) {
            ExactGradient units = ExactOracle.computeUnits(mlp, theta, trial.data(), f, implU, implementation.sharesForward());
            // A projection cannot tell a derivative convention at a unit sitting exactly on a kink from a
            // bug elsewhere: such a trial is checked exhaustively instead.
            List<ParameterResult> results = unitOnAKink(mlp, f, units) ? null
                    : DirectionalCheck.run(mlp, trial, f, analytic, units, o);
            // And so is one where no direction could decide (a projected tolerance that covers every
            // projection); the shard that owns v1 does it, so no parameter is judged twice.
            if (results != null && o.shard().owns(1) && DirectionalCheck.undecidedAlongEveryDirection(results)) {
                undecided = results;
                results = null;
            }
            if (results != null) {
                // An implementation with its own forward pass may compute another loss (a convention, such as
                // a fixed dropout mask): as in the exhaustive check, its gradient is compared with its own loss
                // too, here along the same directions, before the backward pass is blamed.
                Consistency consistency = implementation.sharesForward() ? Consistency.notApplicable()
                        : DirectionalCheck.ownConsistency(mlp, implementation, trial, f, analytic, results, implU);
                if (progress != null) {
                    progress.accept(parameters.length);
                }
                return new Outcome(results, consistency);
            }
        }
        ExactGradient exact = ExactOracle.compute(mlp, theta, trial.data(), f, implU, implementation.sharesForward());
        CentralDifferenceOracle fd = new CentralDifferenceOracle(mlp, theta, trial.data(), f, exact.lossRounding(), kinks);
        TangentOracle tangents = new TangentOracle(mlp, theta, trial.data(), f, exact);
        ParameterResult[] out = new ParameterResult[parameters.length];
        IntStream.range(0, parameters.length).parallel().forEach(q -> {
            int p = parameters[q];
            out[q] = judge(layout, trial.index(), p, analytic[p], exact, fd, tangents, o, trial.data().examples());
            if (progress != null) {
                progress.accept(1);
            }
        });
        List<ParameterResult> results = List.of(out);
        Consistency consistency = implementation.sharesForward() ? Consistency.notApplicable()
                : OwnConsistencyCheck.run(implementation, layout, theta, trial.data(), f, exact, analytic, results, implU,
                        kinks ? CentralDifferenceOracle.KINK_STEP : CentralDifferenceOracle.SMOOTH_STEP);
        if (!consistency.ownSample().isEmpty()) {
            consistency = consistency.and(DirectionalCheck.ownConsistencyAlongDirections(mlp, implementation, trial, f,
                    analytic, exact, implU));
        }
        return new Outcome(Stream.concat(undecided.stream(), results.stream()).toList(), consistency);
    }

    /** Whether any ReLU-like unit of any example sits on its kink (to rounding). */
    static boolean unitOnAKink(Mlp mlp, Forward f, ExactGradient exact) {
        ParameterLayout layout = mlp.layout();
        for (int l = 1; l <= layout.layers(); l++) {
            Activation act = mlp.activation(l - 1); // the output layer's too (null for softmax)
            if (act == null || act.kinks().length == 0) {
                continue;
            }
            double[] z = f.z[l];
            for (int idx = 0; idx < z.length; idx++) {
                if (!Double.isNaN(Kinks.at(act, z[idx], exact.forwardError(l, idx)))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static ParameterResult judge(ParameterLayout layout, int trial, int p, double a, ExactGradient exact,
                                         CentralDifferenceOracle fdOracle, TangentOracle tangents, Options o,
                                         int examples) {
        double reach = o.finiteDifference() ? fdOracle.reach(p) : 0;
        // The tangent pass finds kinks and cross-checks the exact oracle; on a smooth network the
        // cross-check of a deterministic sample is enough, which keeps an exhaustive check cheap.
        Tangent t = tangents.needed(p) ? tangents.tangent(p, reach) : null;
        int layer = layout.layerOf(p) + 1;
        double e = exact.value()[p];
        if (!Double.isFinite(e)) {
            // The loss is finite (checked before), so the spec's function is not differentiable here.
            throw new IllegalStateException("the exact gradient of " + layout.name(p) + " is " + e + " at trial " + trial
                    + ": the loss is not differentiable at these weights and data (a function with an infinite"
                    + " derivative, such as sqrt at 0, or an overflow)");
        }
        int chain = ToleranceModel.chainLength(layout, layer, examples);
        if (t == null) {
            t = new Tangent(e, false, false, 0, null);
        }
        double tolExact = ToleranceModel.analyticVsExact(exact.magnitude()[p], exact.localError()[p],
                t.kinkAllowance(), chain, o.unitRoundoff());
        if (!Double.isFinite(a)) {
            // Never agreement, whatever the tolerance: a NaN or infinite gradient is a wrong gradient.
            return result(layout, trial, p, a, Double.NaN, e, Double.POSITIVE_INFINITY, tolExact, Status.MISMATCH,
                    "the analytic gradient is " + a);
        }
        if (!Double.isFinite(tolExact)) {
            return result(layout, trial, p, a, Double.NaN, e, Math.abs(a - e), tolExact, Status.INCONCLUSIVE,
                    "the rounding bound is " + tolExact + " (terms of the gradient beyond the range of double, or a"
                            + " local derivative that is not finite): nothing can be decided here");
        }
        // Two exact computations by different routes must agree to rounding; if not, the harness is wrong.
        if (!Within.agrees(t.value(), e, tolExact)) {
            return result(layout, trial, p, a, Double.NaN, e, Math.abs(a - e), tolExact, Status.INCONCLUSIVE,
                    "exact oracles disagree: reverse " + e + " vs tangent " + t.value() + " (a harness bug: please report it)");
        }
        FiniteDifference fd = null;
        String side = null;
        if (o.finiteDifference() && !t.nearKink()) {
            fd = fdOracle.estimate(p);
        } else if (o.finiteDifference() && o.exact()) {
            // A kink within the central stencil: a one-sided difference from the side without it is still
            // evidence for the exact oracle, though never the decider.
            FiniteDifference[] sides = fdOracle.oneSided(p);
            for (int k = 0; k < 2 && fd == null; k++) {
                if (Within.agrees(sides[k].value(), e, sides[k].error() + tolExact)) {
                    fd = sides[k];
                    side = k == 0 ? "forward" : "backward";
                }
            }
        }
        double fdValue = fd == null ? Double.NaN : fd.value();
        String kinkNote = t.atKink() ? "derivative convention at a kink (" + t.kinkNote() + ")"
                : t.nearKink() ? (side == null ? "finite difference skipped: kink within the stencil ("
                        : "finite difference one-sided (" + side + "): kink within the central stencil (")
                        + t.kinkNote() + ")" : null;
        if (!o.exact()) {
            if (fd == null) {
                return result(layout, trial, p, a, Double.NaN, Double.NaN, 0, 0, Status.KINK, kinkNote);
            }
            if (!Double.isFinite(fdValue) || !Double.isFinite(fd.error())) {
                return result(layout, trial, p, a, fdValue, Double.NaN, Double.NaN, Double.NaN, Status.INCONCLUSIVE,
                        "the finite difference is " + fdValue + " (the loss overflows within its stencil)");
            }
            double tol = o.fixedTolerance() != null ? o.fixedTolerance() * Math.max(Math.abs(a), Math.abs(fdValue))
                    : fd.error() + tolExact;
            Status s = !Within.agrees(a, fdValue, tol) ? Status.MISMATCH : t.atKink() ? Status.KINK : Status.OK;
            return result(layout, trial, p, a, fdValue, Double.NaN, Math.abs(a - fdValue), tol, s, kinkNote);
        }
        double tol = o.fixedTolerance() != null
                ? o.fixedTolerance() * Math.max(Math.abs(a), Math.abs(e)) + t.kinkAllowance()
                : tolExact;
        double err = Math.abs(a - e);
        boolean fdDisagrees = fd != null && !Within.agrees(fdValue, e, fd.error() + tolExact);
        if (fdDisagrees) {
            // The exact oracle decides; the finite difference is its sanity check. Where the analytic gradient
            // agrees with the exact one, two independent computations agree and the finite difference is the
            // odd one out: the parameter is decided, with a note. Otherwise nothing can be decided here.
            String why = !Double.isFinite(fdValue)
                    ? "the finite difference is " + fdValue + " (the loss overflows within its stencil)"
                    : "finite difference disagrees with exact by " + fmt(Math.abs(fdValue - e)) + " > its error bound "
                            + fmt(fd.error() + tolExact);
            if (Within.agrees(a, e, tol)) {
                return result(layout, trial, p, a, fdValue, e, err, tol, kinkNote != null ? Status.KINK : Status.OK,
                        why + ": the finite difference is unreliable here; the analytic gradient agrees with the exact one");
            }
            return result(layout, trial, p, a, fdValue, e, err, tol, Status.INCONCLUSIVE, why + ", and the analytic"
                    + " gradient disagrees with the exact one: the oracles cannot decide (please report it)");
        }
        Status s = !Within.agrees(a, e, tol) ? Status.MISMATCH : kinkNote != null ? Status.KINK : Status.OK;
        return result(layout, trial, p, a, fdValue, e, err, tol, s, s == Status.MISMATCH ? null : kinkNote);
    }

    private static ParameterResult result(ParameterLayout layout, int trial, int p, double a, double fd, double e,
                                          double err, double tol, Status s, String note) {
        double ref = Double.isNaN(e) ? fd : e;
        double rel = !Double.isFinite(a) ? Double.POSITIVE_INFINITY : Double.isNaN(ref) ? 0 : ToleranceModel.relativeError(a, ref);
        double relTol = Double.isNaN(ref) ? 0 : ToleranceModel.relative(tol, Double.isFinite(a) ? a : 0, ref);
        return new ParameterResult(layout.name(p), p, layout.layerOf(p) + 1, layout.isBias(p), trial, a, fd, e,
                rel, relTol, err, tol, s, note);
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /** Parameter groups (a W_l or b_l) this small are always checked in full when sampling. */
    static final int SMALL_GROUP = 64;

    /**
     * Indices of the parameters to check: every trainable one, or a deterministic sample of that
     * many. A sample takes every parameter of the small groups (a bug in a 2×25 first layer must not
     * hinge on luck) and spreads the rest over the larger groups in proportion to their size, round
     * robin over their rows, so every row of every matrix is represented.
     */
    public static int[] select(ParameterLayout layout, int sample, long seed) {
        return select(layout, sample, seed, layer -> true);
    }

    /** The same, among the parameters of the layers (from 1) {@code layers} accepts. */
    public static int[] select(ParameterLayout layout, int sample, long seed, IntPredicate layers) {
        List<Integer> trainable = layout.trainable().stream().filter(p -> layers.test(layout.layerOf(p) + 1)).toList();
        return select(trainable, layout::group, p -> layout.isBias(p) ? 0 : layout.row(p), sample, seed);
    }

    /**
     * The same over any layout: the trainable parameters wanted, each one's group (a tensor) and row (its
     * first index; 0 for a bias), so every row of every tensor is represented in a sample.
     */
    public static int[] select(List<Integer> trainable, java.util.function.IntFunction<String> group,
                               java.util.function.IntUnaryOperator rowOf, int sample, long seed) {
        if (sample <= 0 || sample >= trainable.size()) {
            return trainable.stream().mapToInt(Integer::intValue).toArray();
        }
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        Map<String, List<List<Integer>>> groups = new LinkedHashMap<>();
        for (int p : trainable) {
            List<List<Integer>> rows = groups.computeIfAbsent(group.apply(p), g -> new ArrayList<>());
            int row = rowOf.applyAsInt(p);
            while (rows.size() <= row) {
                rows.add(new ArrayList<>());
            }
            rows.get(row).add(p);
        }
        TreeSet<Integer> chosen = new TreeSet<>();
        List<List<List<Integer>>> large = new ArrayList<>();
        int largeTotal = 0;
        int smallTotal = groups.values().stream().mapToInt(rows -> rows.stream().mapToInt(List::size).sum())
                .filter(size -> size <= SMALL_GROUP).sum();
        boolean keepSmall = smallTotal <= sample / 2; // only when they leave most of the budget to the rest
        for (List<List<Integer>> rows : groups.values()) {
            int size = rows.stream().mapToInt(List::size).sum();
            if (keepSmall && size <= SMALL_GROUP) {
                rows.forEach(chosen::addAll);
            } else {
                large.add(rows);
                largeTotal += size;
            }
        }
        int budget = Math.max(0, sample - chosen.size());
        for (List<List<Integer>> rows : large) {
            int size = rows.stream().mapToInt(List::size).sum();
            int take = (int) Math.round((double) budget * size / largeTotal);
            List<List<Integer>> shuffled = new ArrayList<>();
            for (List<Integer> row : rows) {
                List<Integer> copy = new ArrayList<>(row);
                for (int i = copy.size() - 1; i > 0; i--) {
                    Collections.swap(copy, i, rnd.nextInt(i + 1));
                }
                shuffled.add(copy);
            }
            for (int round = 0; take > 0; round++) {
                boolean any = false;
                for (List<Integer> row : shuffled) {
                    if (take > 0 && round < row.size()) {
                        chosen.add(row.get(round));
                        take--;
                        any = true;
                    }
                }
                if (!any) {
                    break;
                }
            }
        }
        // Rounding the shares may miss the requested count by a few: fix it at random, deterministically.
        List<Integer> extra = new ArrayList<>(chosen);
        while (chosen.size() > sample) {
            chosen.remove(extra.remove(rnd.nextInt(extra.size())));
        }
        List<Integer> rest = new ArrayList<>(trainable);
        rest.removeAll(chosen);
        while (chosen.size() < sample && !rest.isEmpty()) {
            chosen.add(rest.remove(rnd.nextInt(rest.size())));
        }
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }
}
