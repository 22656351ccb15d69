package dev.gradproof.compare;

import dev.gradproof.network.Activations;
import dev.gradproof.network.Dataset;
import dev.gradproof.network.Forward;
import dev.gradproof.network.ParameterLayout;
import dev.gradproof.oracle.ExactGradient;
import dev.gradproof.oracle.FiniteDifference;
import dev.gradproof.oracle.RichardsonStencil;

import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Compares an implementation with itself and with the spec's forward pass: (a) its gradient against
 * Richardson finite differences of its own loss (one batched call for every perturbation), (b) its
 * loss against the spec's. Together with (c), its gradient against the exact gradient, they tell a
 * backward bug from a different forward convention.
 *
 * <p>Each perturbed loss costs the implementation a full forward pass, and a black box cannot be
 * asked for less: above {@link #WORK_BUDGET} multiply-adds (about 4 s at 1 GFLOP/s) the parameters
 * are sampled, every layer and row represented ({@link TrialCheck#select}), and the report names
 * the sample. The decisive comparison, against the exact gradient, is never sampled.
 */
final class OwnConsistencyCheck {
    /** Finite-difference step for a single-precision implementation: its loss is only good to ~6e-8. */
    static final double FLOAT32_STEP = 0x1.0p-7;
    /** Multiply-adds the implementation's perturbed forward passes may cost before the parameters are sampled. */
    static final double WORK_BUDGET = 0x1.0p32;

    private OwnConsistencyCheck() {
    }

    static Consistency run(TrialCheck.Analytic impl, ParameterLayout layout, double[] theta, Dataset data, Forward f,
                           ExactGradient exact, double[] analytic, List<ParameterResult> results, double implU,
                           double baseStep) {
        return run(impl, layout, theta, data, f, exact, analytic, results, implU, baseStep, WORK_BUDGET);
    }

    static Consistency run(TrialCheck.Analytic impl, ParameterLayout layout, double[] theta, Dataset data, Forward f,
                           ExactGradient exact, double[] analytic, List<ParameterResult> results, double implU,
                           double baseStep, double workBudget) {
        OptionalDouble own = impl.ownLoss();
        if (own.isEmpty()) {
            return Consistency.notApplicable();
        }
        double lossScale = implU / Activations.U;
        double implLoss = own.getAsDouble();
        // Rounding of its loss: our forward-pass magnitude in its precision, plus summing N terms.
        double eps = exact.lossRounding() * lossScale + ToleranceModel.gamma(data.examples() + 4, implU) * Math.abs(implLoss);
        double lossTol = 2 * (eps + exact.lossRounding());

        List<ParameterResult> eligible = results.stream().filter(r -> r.status() != Status.KINK).toList();
        int eligibleCount = eligible.size();
        double perLoss = (double) data.examples() * layout.total();
        int affordable = (int) Math.max(1, Math.min(Integer.MAX_VALUE, workBudget / (4 * perLoss)));
        List<String> sample = List.of();
        if (eligible.size() > affordable) {
            Set<Integer> chosen = new HashSet<>();
            for (int p : TrialCheck.select(layout, affordable, 0x6f776e)) {
                chosen.add(p);
            }
            eligible = eligible.stream().filter(r -> chosen.contains(r.index())).toList();
            sample = eligible.stream().map(ParameterResult::parameter).toList();
        }
        int[] params = eligible.stream().mapToInt(ParameterResult::index).toArray();
        double[] steps = new double[params.length];
        double[] deltas = new double[4 * params.length];
        for (int q = 0; q < params.length; q++) {
            double t = theta[params[q]];
            double h = RichardsonStencil.step(t, implU > Activations.U ? FLOAT32_STEP : baseStep);
            steps[q] = h;
            deltas[4 * q] = h;
            deltas[4 * q + 1] = -h;
            deltas[4 * q + 2] = 2 * h;
            deltas[4 * q + 3] = -2 * h;
        }
        int[] repeated = new int[4 * params.length];
        for (int q = 0; q < repeated.length; q++) {
            repeated[q] = params[q / 4];
        }
        double[] losses = params.length == 0 ? new double[0] : impl.ownLosses(theta, data, repeated, deltas);
        if (losses == null) {
            return new Consistency(true, implLoss, f.loss, lossTol, 0, List.of(), eligibleCount, List.of());
        }
        List<String> disagreeing = new ArrayList<>();
        for (int q = 0; q < params.length; q++) {
            double h = steps[q];
            FiniteDifference fd = RichardsonStencil.estimate(losses, 4 * q, h, eps);
            double r = fd.value();
            double err = fd.error();
            ParameterResult pr = eligible.get(q);
            if (!(Math.abs(analytic[params[q]] - r) <= err + pr.absoluteTolerance())) {
                disagreeing.add(layout.name(params[q]));
            }
        }
        return new Consistency(true, implLoss, f.loss, lossTol, params.length, List.copyOf(disagreeing), eligibleCount,
                sample);
    }
}
