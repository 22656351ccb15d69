package dev.gradproof.bench;

import dev.gradproof.compare.ParameterResult;
import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.api.Verdict;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.NetworkFactory;
import dev.gradproof.network.TrialData;
import dev.gradproof.network.TrialRecipe;
import dev.gradproof.oracle.DirectionalOracle;
import dev.gradproof.spec.Spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The fast mode's tolerance and detection bound on ex4, worked out and then measured. A single
 * parameter p whose gradient is off by a relative ε moves g·v_d by ε·g_p·v_{d,p}; it is seen along
 * some direction once ε exceeds b_p = min_d tol_d / |g_p v_{d,p}|, its detection bound. The
 * measurement plants such bugs at 4·b_p (each must be caught) and at b_p/4 (none can be).
 */
final class FastModeSensitivity {
    private FastModeSensitivity() {
    }

    static List<String> run(int examples, int bugs, Consumer<String> progress) {
        Spec spec = Workload.ex4(25, examples, Workload.directional(8));
        Mlp mlp = NetworkFactory.build(spec);
        TrialData trial = TrialRecipe.full(spec, 0).materialize(spec).trial();
        double[] g = mlp.gradient(trial.theta(), trial.data());
        SpecResult clean = SpecChecker.run(spec, SpecChecker.Progress.NONE);
        List<ParameterResult> directions = clean.all();
        double[] relativeTolerance = directions.stream().mapToDouble(ParameterResult::tolerance).toArray();
        double[][] v = new double[directions.size()][];
        for (int d = 0; d < v.length; d++) {
            v[d] = DirectionalOracle.direction(mlp.layout(), trial.seed(), d + 1).flat();
        }
        double[] bound = new double[g.length];
        for (int p = 0; p < g.length; p++) {
            bound[p] = Double.POSITIVE_INFINITY;
            for (int d = 0; d < v.length; d++) {
                bound[p] = Math.min(bound[p], directions.get(d).absoluteTolerance() / Math.abs(g[p] * v[d][p]));
            }
        }
        double[] sorted = bound.clone();
        Arrays.sort(sorted);
        Arrays.sort(relativeTolerance);
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "| tolerance / \\|g·v\\|, median of %d directions | %.2g |", v.length,
                relativeTolerance[relativeTolerance.length / 2]));
        out.add(String.format(Locale.ROOT, "| detection bound b_p of one parameter: median, 90th percentile | %.2g, %.2g |",
                sorted[g.length / 2], sorted[(int) (g.length * 0.9)]));
        SplittableRandom rnd = new SplittableRandom(42);
        int caughtAbove = 0;
        int caughtBelow = 0;
        for (int b = 0; b < bugs; b++) {
            int p = rnd.nextInt(g.length);
            progress.accept("planting bugs at " + mlp.layout().name(p));
            caughtAbove += caught(spec, p, 4 * bound[p]) ? 1 : 0;
            caughtBelow += caught(spec, p, bound[p] / 4) ? 1 : 0;
        }
        out.add(String.format(Locale.ROOT, "| one parameter off by 4·b_p (%d random parameters): caught | %d of %d |",
                bugs, caughtAbove, bugs));
        out.add(String.format(Locale.ROOT, "| one parameter off by b_p/4 (the same parameters): caught | %d of %d |",
                caughtBelow, bugs));
        return out;
    }

    private static boolean caught(Spec spec, int p, double relative) {
        SpecChecker.Implementation bugged = (s, mlp) -> (theta, data, f) -> {
            double[] grad = mlp.gradient(theta, data, f);
            grad[p] *= 1 + relative;
            return grad;
        };
        return SpecChecker.run(spec, bugged, SpecChecker.Progress.NONE).verdict() == Verdict.MISMATCH;
    }
}
