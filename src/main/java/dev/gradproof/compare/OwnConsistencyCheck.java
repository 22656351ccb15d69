package dev.gradproof.compare;

import dev.gradproof.network.Activations;
import dev.gradproof.network.Dataset;
import dev.gradproof.network.Forward;
import dev.gradproof.network.ParameterLayout;
import dev.gradproof.oracle.ExactGradient;

import java.util.ArrayList;
import java.util.List;

/**
 * Compares an implementation with itself and with the spec's forward pass: (a) its gradient against
 * Richardson finite differences of its own loss (one batched call for every perturbation), (b) its
 * loss against the spec's. Together with (c), its gradient against the exact gradient, they tell a
 * backward bug from a different forward convention.
 */
final class OwnConsistencyCheck {
    /** Finite-difference step for a single-precision implementation: its loss is only good to ~6e-8. */
    static final double FLOAT32_STEP = 0x1.0p-7;

    private OwnConsistencyCheck() {
    }

    static Consistency run(TrialCheck.Analytic impl, ParameterLayout layout, double[] theta, Dataset data, Forward f,
                           ExactGradient exact, double[] analytic, List<ParameterResult> results, double implU,
                           double baseStep) {
        java.util.OptionalDouble own = impl.ownLoss();
        if (own.isEmpty()) {
            return Consistency.notApplicable();
        }
        double lossScale = implU / Activations.U;
        double implLoss = own.getAsDouble();
        // Rounding of its loss: our forward-pass magnitude in its precision, plus summing N terms.
        double eps = exact.lossRounding() * lossScale + ToleranceModel.gamma(data.examples() + 4, implU) * Math.abs(implLoss);
        double lossTol = 2 * (eps + exact.lossRounding());

        List<ParameterResult> eligible = results.stream().filter(r -> r.status() != Status.KINK).toList();
        int[] params = eligible.stream().mapToInt(ParameterResult::index).toArray();
        double[] steps = new double[params.length];
        double[] deltas = new double[4 * params.length];
        for (int q = 0; q < params.length; q++) {
            double t = theta[params[q]];
            double h = (implU > Activations.U ? FLOAT32_STEP : baseStep) * Math.max(1, Math.abs(t));
            h = (t + h) - t;
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
            return new Consistency(true, implLoss, f.loss, lossTol, 0, List.of());
        }
        List<String> disagreeing = new ArrayList<>();
        for (int q = 0; q < params.length; q++) {
            double h = steps[q];
            double d1 = (losses[4 * q] - losses[4 * q + 1]) / (2 * h);
            double d2 = (losses[4 * q + 2] - losses[4 * q + 3]) / (4 * h);
            double r = (4 * d1 - d2) / 3;
            double err = 2 * (Math.abs(d1 - d2) / 3 + 3 * 2 * eps / h);
            ParameterResult pr = eligible.get(q);
            if (!(Math.abs(analytic[params[q]] - r) <= err + pr.absoluteTolerance())) {
                disagreeing.add(layout.name(params[q]));
            }
        }
        return new Consistency(true, implLoss, f.loss, lossTol, params.length, List.copyOf(disagreeing));
    }
}
