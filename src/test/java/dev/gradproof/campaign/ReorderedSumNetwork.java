package dev.gradproof.campaign;

import dev.gradproof.api.Batch;
import dev.gradproof.compare.Conversions;
import dev.gradproof.api.Evaluation;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.api.Parameters;
import dev.gradproof.api.Perturbation;
import dev.gradproof.network.Activation;
import dev.gradproof.network.Dataset;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.NetworkFactory;
import dev.gradproof.network.ParameterLayout;
import dev.gradproof.spec.Spec;

import java.util.List;
import java.util.Locale;
import java.util.function.IntToDoubleFunction;

/**
 * A correct implementation that differs from the reference only in the order it sums over examples:
 * each example's loss and gradient come from the reference network run on that example alone (sum
 * reduction, no L2), and the N per-example terms are then added in reverse order or pairwise
 * (recursive halving, as numpy's and PyTorch's reductions do), before the 1/N of a mean and the L2 term.
 * Mathematically the same gradient; in floating point the last bits move, which the harness must accept.
 * Its forward pass is its own, so the engine also checks its loss and its self-consistency.
 */
final class ReorderedSumNetwork implements NetworkUnderTest {

    enum Order { REVERSE, PAIRWISE }

    private final Spec spec;
    private final Order order;

    ReorderedSumNetwork(Spec spec, Order order) {
        this.spec = spec;
        this.order = order;
    }

    @Override
    public Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
        Mlp mlp = NetworkFactory.build(spec);
        ParameterLayout layout = mlp.layout();
        double[] theta = Conversions.flatten(layout, parameters, name());
        Mlp perExample = perExample(mlp);
        int n = batch.size();
        double[][] grads = new double[n][];
        double[] losses = new double[n];
        for (int e = 0; e < n; e++) {
            Dataset one = example(batch, e, network);
            grads[e] = perExample.gradient(theta, one);
            losses[e] = perExample.loss(theta, one);
        }
        double[] grad = new double[theta.length];
        for (int p = 0; p < theta.length; p++) {
            final int q = p;
            double s = sum(n, e -> grads[e][q]);
            grad[p] = mlp.reductionScale(n) * s + (mlp.penalised(p) ? mlp.l2Scale(n) * theta[p] : 0);
        }
        double loss = mlp.reductionScale(n) * sum(n, e -> losses[e]) + mlp.penalty(theta, n);
        return new Evaluation(loss, Conversions.parameters(layout, grad));
    }

    @Override
    public double loss(NetworkDescription network, Parameters parameters, Batch batch) {
        Mlp mlp = NetworkFactory.build(spec);
        return loss(mlp, perExample(mlp), Conversions.flatten(mlp.layout(), parameters, name()), batch, network);
    }

    @Override
    public double[] losses(NetworkDescription network, Parameters parameters, Batch batch,
                           List<Perturbation> perturbations) {
        Mlp mlp = NetworkFactory.build(spec);
        Mlp perExample = perExample(mlp);
        ParameterLayout layout = mlp.layout();
        double[] theta = Conversions.flatten(layout, parameters, name());
        double[] out = new double[perturbations.size()];
        for (int q = 0; q < out.length; q++) {
            Perturbation p = perturbations.get(q);
            int index = layout.indexOf(p.parameter());
            double saved = theta[index];
            theta[index] = saved + p.delta();
            out[q] = loss(mlp, perExample, theta, batch, network);
            theta[index] = saved;
        }
        return out;
    }

    private double loss(Mlp mlp, Mlp perExample, double[] theta, Batch batch, NetworkDescription network) {
        int n = batch.size();
        double[] losses = new double[n];
        for (int e = 0; e < n; e++) {
            losses[e] = perExample.loss(theta, example(batch, e, network));
        }
        return mlp.reductionScale(n) * sum(n, e -> losses[e]) + mlp.penalty(theta, n);
    }

    /** The same network, summed over examples, without L2: one example's loss and gradient. */
    private static Mlp perExample(Mlp mlp) {
        Activation[] acts = new Activation[mlp.layout().layers()];
        for (int l = 0; l < acts.length; l++) {
            acts[l] = mlp.activation(l);
        }
        return new Mlp(mlp.layout(), acts, mlp.output(), false, 0, false);
    }

    private static Dataset example(Batch batch, int e, NetworkDescription network) {
        return new Dataset(1, network.inputs(), network.outputs(), batch.x()[e].clone(), batch.y()[e].clone());
    }

    private double sum(int n, IntToDoubleFunction term) {
        return order == Order.REVERSE ? reverse(n, term) : pairwise(0, n, term);
    }

    private static double reverse(int n, IntToDoubleFunction term) {
        double s = 0;
        for (int e = n - 1; e >= 0; e--) {
            s += term.applyAsDouble(e);
        }
        return s;
    }

    private static double pairwise(int from, int to, IntToDoubleFunction term) {
        if (to - from == 1) {
            return term.applyAsDouble(from);
        }
        int mid = (from + to) >>> 1;
        return pairwise(from, mid, term) + pairwise(mid, to, term);
    }

    @Override
    public String name() {
        return "reordered-sum-" + order.name().toLowerCase(Locale.ROOT);
    }
}
