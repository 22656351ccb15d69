package dev.gradproof.mutants.graph;

import dev.gradproof.compare.GraphTrialCheck;
import dev.gradproof.network.Activation;
import dev.gradproof.network.graph.GraphCase;
import dev.gradproof.network.graph.GraphForward;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphNode;
import dev.gradproof.network.graph.LossHead;
import dev.gradproof.spec.layers.LossOptions;

import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;

/** Mistakes (and a correct convention) outside the layers: the loss's gradient and an activation's derivative. */
final class HeadBugs {
    private HeadBugs() {
    }

    /** Huber's gradient with the quadratic branch's slope everywhere: r = a − y instead of δ·sign(r) where |r| > δ. */
    static final GraphTrialCheck.Analytic HUBER_SLOPE_UNCLIPPED = (g, theta, c, f) -> plus(g, theta, c, f,
            (a, y, k, scale) -> {
        double delta = g.head().options().delta();
        double[] wrong = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double r = a[i] - y[i];
            if (Math.abs(r) > delta) {
                wrong[i] = scale * (r - Math.copySign(delta, r)) / k;    // reference: clip(r, −δ, δ) / K
            }
        }
        return wrong;
    });

    /**
     * L1's derivative written as r / |r|, numpy's idiom for sign(r): 0/0 = NaN where a residual is exactly 0,
     * outside the subgradient interval [−1, 1] (PyTorch's torch.sign gives 0), and the NaN spreads through
     * every product of the backward pass, zero factors included.
     */
    static final GraphTrialCheck.Analytic L1_SIGN_BY_DIVISION = (g, theta, c, f) -> plus(g, theta, c, f,
            (a, y, k, scale) -> {
        double[] wrong = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double r = a[i] - y[i];
            wrong[i] = r == 0 ? scale * (r / Math.abs(r)) / k : 0;      // reference: sign(r) / K, 0 at r = 0
        }
        return wrong;
    });

    /**
     * The multi-class hinge's loop over the other classes stopped one short, {@code for i in range(K - 1)}:
     * the last class's margin term never reaches the gradient (unless it is the target's class).
     */
    static final GraphTrialCheck.Analytic HINGE_LAST_CLASS_SKIPPED = (g, theta, c, f) -> plus(g, theta, c, f,
            (a, y, k, scale) -> {
        double[] wrong = new double[a.length];
        for (int row = 0; row < a.length / k; row++) {
            int o = row * k;
            int hot = 0;
            for (int i = 1; i < k; i++) {
                hot = y[o + i] > y[o + hot] ? i : hot;
            }
            // reference: for i in range(K), the last class's term −(1/K) on a_c and +(1/K) on a_last included
            if (hot != k - 1 && 1 - a[o + hot] + a[o + k - 1] > 0) {
                wrong[o + k - 1] -= scale / k;
                wrong[o + hot] += scale / k;
            }
        }
        return wrong;
    });

    /** What a mutant's loss gradient adds to the reference's dL/da, given a, y, the width K and the reduction's scale. */
    interface LossSlip {
        double[] difference(double[] a, double[] y, int k, double scale);
    }

    /**
     * The reference gradient plus the backward pass of the difference of the two loss gradients: the gradient
     * of Σ c·a is linear in c.
     */
    private static double[] plus(GraphNetwork g, double[] theta, GraphCase c, GraphForward f, LossSlip slip) {
        double[] grad = g.gradient(theta, c.data(), f);
        LossHead head = g.head();
        int steps = head.steps();
        int examples = c.data().examples();
        double scale = g.reductionScale(examples) * (steps > 1 && head.options().steps() == LossOptions.Steps.MEAN
                ? 1.0 / steps : 1.0);
        double[] wrong = slip.difference(f.a[f.a.length - 1], c.data().y(), head.width(), scale);
        boolean any = false;
        for (double w : wrong) {
            any |= w != 0;
        }
        if (!any) {
            return grad;
        }
        double[] extra = g.backward(theta, c.data(), f, wrong).parameters();
        for (int p = 0; p < grad.length; p++) {
            grad[p] += extra[p];
        }
        return grad;
    }

    /** ReLU with the other subgradient at 0: relu'(0) = 1 (code that writes {@code z >= 0}); PyTorch's is 0. */
    static GraphNode reluOneAtZero(GraphNode n) {
        Activation relu = n.activation();
        Activation other = new Activation() {
            public String name() { return relu.name(); }
            public double value(double x) { return relu.value(x); }
            public double derivative(double x) { return x >= 0 ? 1 : 0; }   // reference: x > 0 ? 1 : 0
            public DerivativeStructure value(DerivativeStructure x) { return relu.value(x); }
            public double declaredDerivativeError(double x) { return relu.declaredDerivativeError(x); }
            public double exactDerivativeError(double x) { return relu.exactDerivativeError(x); }
            public double[] kinks() { return relu.kinks(); }
            public double derivativeJump(double kink) { return relu.derivativeJump(kink); }
        };
        return new GraphNode(n.index(), n.name(), n.options(), n.layer(), n.inputs(), other, n.softmax(), n.frozen(),
                n.offset());
    }
}
