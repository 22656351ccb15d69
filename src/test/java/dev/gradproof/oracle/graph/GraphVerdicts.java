package dev.gradproof.oracle.graph;

import dev.gradproof.compare.ToleranceModel;
import dev.gradproof.network.Activations;
import dev.gradproof.network.graph.GraphCase;
import dev.gradproof.network.graph.GraphForward;
import dev.gradproof.network.graph.GraphLayout;

import java.util.ArrayList;
import java.util.List;

/** The comparisons the graph tests assert, with messages that name the case and the parameter. */
final class GraphVerdicts {
    private GraphVerdicts() {
    }

    /** The analytic gradient, the exact one, and every parameter's tolerance. */
    record Compared(GraphCase c, double[] analytic, GraphExactGradient exact, double[] tolerance) {
        String name(int p) {
            return c.network().layout().name(p);
        }

        /** Parameters whose analytic gradient is not within tolerance of the exact one (NaN never is). */
        List<String> mismatches() {
            List<String> out = new ArrayList<>();
            for (int p = 0; p < analytic.length; p++) {
                double err = Math.abs(analytic[p] - exact.value()[p]);
                if (!(err <= tolerance[p])) {
                    out.add(c + ": " + name(p) + " analytic " + analytic[p] + " exact " + exact.value()[p] + " |diff| "
                            + err + " > tol " + tolerance[p] + " (M " + exact.magnitude()[p] + ", E "
                            + exact.localError()[p] + ", A " + exact.kinkAllowance()[p] + ", K " + exact.chain()[p] + ")");
                }
            }
            return out;
        }
    }

    static Compared compare(GraphCase c) {
        GraphForward f = c.network().forward(c.theta(), c.data());
        double[] analytic = c.network().gradient(c.theta(), c.data(), f);
        GraphExactGradient exact = TapeOracle.compute(c.network(), c.theta(), c.data());
        return new Compared(c, analytic, exact, tolerances(exact));
    }

    static double[] tolerances(GraphExactGradient exact) {
        double[] tol = new double[exact.value().length];
        for (int p = 0; p < tol.length; p++) {
            tol[p] = ToleranceModel.analyticVsExact(exact.magnitude()[p], exact.localError()[p],
                    exact.kinkAllowance()[p], exact.chain()[p], Activations.U);
        }
        return tol;
    }

    /**
     * Where the finite difference and the exact gradient disagree by more than the finite difference's
     * error bound plus the exact side's tolerance, at a parameter whose stencil crossed no kink or tie.
     */
    static List<String> finiteDifferenceDisagreements(Compared cmp) {
        GraphCase c = cmp.c();
        GraphFiniteDifferences fd = new GraphFiniteDifferences(c.network(), c.theta(), c.data(),
                cmp.exact().lossRounding());
        GraphLayout layout = c.network().layout();
        List<String> out = new ArrayList<>();
        for (int p = 0; p < layout.total(); p++) {
            GraphFiniteDifference d = fd.estimate(p);
            double e = cmp.exact().value()[p];
            if (d.kinkCrossed()) {
                continue;
            }
            if (!(Math.abs(d.value() - e) <= d.error() + cmp.tolerance()[p])) {
                out.add(c + ": " + layout.name(p) + " finite difference " + d.value() + " ± " + d.error() + " vs exact "
                        + e + " (tol " + cmp.tolerance()[p] + ")");
            }
        }
        return out;
    }
}
