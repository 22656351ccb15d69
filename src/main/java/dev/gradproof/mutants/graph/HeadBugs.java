package dev.gradproof.mutants.graph;

import dev.gradproof.compare.GraphTrialCheck;
import dev.gradproof.network.Activation;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphNode;
import dev.gradproof.network.graph.LossHead;
import dev.gradproof.spec.layers.LossOptions;

import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;

/** Mistakes (and a correct convention) outside the layers: the loss's gradient and an activation's derivative. */
final class HeadBugs {
    private HeadBugs() {
    }

    /**
     * Huber's gradient with the quadratic branch's slope everywhere: r = a − y instead of δ·sign(r) where
     * |r| > δ. The gradient of Σ c·a is linear in c, so the mutant is the reference gradient plus the
     * backward pass of the difference of the two loss gradients.
     */
    static final GraphTrialCheck.Analytic HUBER_SLOPE_UNCLIPPED = (g, theta, c, f) -> {
        double[] grad = g.gradient(theta, c.data(), f);
        LossHead head = g.head();
        double delta = head.options().delta();
        int k = head.width();
        int steps = head.steps();
        int examples = c.data().examples();
        double scale = g.reductionScale(examples) * (steps > 1 && head.options().steps() == LossOptions.Steps.MEAN
                ? 1.0 / steps : 1.0);
        double[] a = f.a[f.a.length - 1];
        double[] y = c.data().y();
        double[] wrong = new double[a.length];
        boolean any = false;
        for (int i = 0; i < a.length; i++) {
            double r = a[i] - y[i];
            if (Math.abs(r) > delta) {
                wrong[i] = scale * (r - Math.copySign(delta, r)) / k;    // reference: clip(r, −δ, δ) / K
                any = true;
            }
        }
        if (!any) {
            return grad;
        }
        double[] extra = g.backward(theta, c.data(), f, wrong).parameters();
        for (int p = 0; p < grad.length; p++) {
            grad[p] += extra[p];
        }
        return grad;
    };

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
