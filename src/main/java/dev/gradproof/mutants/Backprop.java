package dev.gradproof.mutants;

import dev.gradproof.network.Activation;
import dev.gradproof.network.Dataset;
import dev.gradproof.network.Forward;
import dev.gradproof.network.IncrementalLoss;
import dev.gradproof.network.Losses;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.OutputStage;
import dev.gradproof.network.ParameterLayout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.lang.reflect.Method;

/**
 * The reference network's textbook backpropagation ({@link Mlp#gradient}), written out over the same
 * flat arrays with each step a method of its own, so that a mutant is the reference with one method
 * overridden. Unchanged, it returns exactly {@link Mlp#gradient}'s answer, bit for bit.
 *
 * <p>Indices: {@code l} is a 0-based layer (W_{l+1} in the report's names); the activation of layer
 * {@code l} maps {@code z[l+1]} to {@code a[l+1]}; {@code a[0]} is the input. Per-example rows are
 * N×width, row-major.
 */
class Backprop {
    protected final Mlp mlp;
    protected final ParameterLayout layout;
    protected final OutputStage output;

    Backprop(Mlp mlp) {
        this.mlp = mlp;
        this.layout = mlp.layout();
        this.output = mlp.output();
    }

    /** What a forward pass leaves behind: pre-activations and activations per layer, and the loss. */
    record Pass(double[][] z, double[][] a, double loss) {
    }

    /** The implementation's answer: its loss and its gradient, flat. */
    record Result(double loss, double[] gradient) {
    }

    Result run(double[] theta, Dataset data) {
        Pass f = forward(theta, data);
        return new Result(f.loss(), gradient(theta, data, f));
    }

    /** Its loss alone: the forward pass without the backward. */
    double loss(double[] theta, Dataset data) {
        return forward(theta, data).loss();
    }

    /**
     * Its loss with {@code params[q]} moved by {@code deltas[q]}, each alone, over the cores. On the
     * reference forward pass this is the incremental form (only what a perturbation reaches is
     * recomputed, {@link IncrementalLoss}); a mutant with its own forward pass runs that pass in full
     * for each perturbation.
     */
    double[] losses(double[] theta, Dataset data, int[] params, double[] deltas) {
        double[] out = new double[params.length];
        if (!referenceForward()) {
            IntStream.range(0, out.length).parallel().forEach(q -> {
                double[] moved = theta.clone();
                moved[params[q]] += deltas[q];
                out[q] = loss(moved, data);
            });
            return out;
        }
        Forward f = mlp.forward(theta, data);
        IncrementalLoss incremental = new IncrementalLoss(mlp, theta, data, f);
        // Consecutive perturbations of one parameter (a stencil) share one pass over the examples.
        List<int[]> runs = new ArrayList<>();
        for (int start = 0; start < params.length; ) {
            int end = start + 1;
            while (end < params.length && params[end] == params[start]) {
                end++;
            }
            runs.add(new int[] {start, end});
            start = end;
        }
        runs.parallelStream().forEach(run -> {
            double[] changes = new double[run[1] - run[0]];
            incremental.changes(params[run[0]], Arrays.copyOfRange(deltas, run[0], run[1]), changes);
            for (int q = run[0]; q < run[1]; q++) {
                out[q] = f.loss + changes[q - run[0]];
            }
        });
        return out;
    }

    /** Whether this variant computes its loss with the reference forward pass (overrides neither forward nor loss). */
    private boolean referenceForward() {
        for (Class<?> c = getClass(); c != Backprop.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals("forward") || m.getName().equals("loss")) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The reference forward pass. */
    Pass forward(double[] theta, Dataset data) {
        Forward f = mlp.forward(theta, data);
        return new Pass(f.z, f.a, f.loss);
    }

    double[] gradient(double[] theta, Dataset data, Pass f) {
        int layers = layout.layers();
        int n = data.examples();
        int k = layout.size(layers);
        double[] grad = new double[theta.length];
        double[] delta = new double[n * k];
        double[] scratch = new double[k];
        for (int e = 0; e < n; e++) {
            outputDelta(f.z()[layers], f.a()[layers], e * k, data.y(), delta, scratch);
        }
        for (int l = layers - 1; l >= 0; l--) {
            int in = layout.size(l);
            int out = layout.size(l + 1);
            int w = layout.weightOffset(l);
            int b = layout.biasOffset(l);
            double[] prev = f.a()[l];
            for (int e = 0; e < n; e++) {
                for (int i = 0; i < out; i++) {
                    double d = delta[e * out + i];
                    if (d == 0) {
                        continue;
                    }
                    for (int j = 0; j < in; j++) {
                        grad[w + i * in + j] += weightTerm(l, e, d, prev[e * in + j]);
                    }
                    if (b >= 0) {
                        grad[b + i] += biasTerm(l, e, d);
                    }
                }
            }
            if (l > 0) {
                double[] below = backwardProduct(l, theta, grad, delta, n);
                hiddenDelta(l - 1, below, f, n);
                delta = below;
            }
        }
        double scale = reductionScale(n);
        for (int p = 0; p < grad.length; p++) {
            grad[p] = scale * grad[p] + l2Term(p, theta, n);
        }
        postProcess(grad);
        return grad;
    }

    // ---- the steps a mutant overrides -------------------------------------------------------------

    /**
     * δ_L = dℓ/dz_L for the example at {@code off}: the combined forms (sigmoid + binary cross-entropy,
     * softmax) from the output stage; any other output as dℓ/da ⊙ f'(z) with f' from
     * {@link #localDerivative}.
     */
    void outputDelta(double[] z, double[] a, int off, double[] y, double[] delta, double[] g) {
        if (combinedOutput()) {
            output.delta(z, a, off, y, off, delta, off, g);
            return;
        }
        int k = output.width();
        int last = layout.layers() - 1;
        output.loss().gradient(a, off, y, off, k, g, 0);
        for (int i = 0; i < k; i++) {
            delta[off + i] = g[i] * localDerivative(last, z[off + i], a[off + i]);
        }
    }

    /** f'(z) of layer {@code layer}'s activation, given z and a = f(z): the declared derivative at z. */
    double localDerivative(int layer, double z, double a) {
        return mlp.activation(layer).derivative(z);
    }

    /** dL/dW_l[i][j] for one example: δ_i · a_{l−1}[j]. */
    double weightTerm(int l, int example, double delta, double input) {
        return delta * input;
    }

    /** dL/db_l[i] for one example: δ_i. */
    double biasTerm(int l, int example, double delta) {
        return delta;
    }

    /** W_lᵀ δ_l for every example: the error sent to the layer below (before ⊙ f'). */
    double[] backwardProduct(int l, double[] theta, double[] grad, double[] delta, int n) {
        int in = layout.size(l);
        int out = layout.size(l + 1);
        int w = layout.weightOffset(l);
        double[] below = new double[n * in];
        for (int e = 0; e < n; e++) {
            for (int i = 0; i < out; i++) {
                double d = delta[e * out + i];
                for (int j = 0; j < in; j++) {
                    below[e * in + j] += theta[w + i * in + j] * d;
                }
            }
        }
        return below;
    }

    /** δ_layer = (Wᵀδ) ⊙ f'(z_layer), in place. */
    void hiddenDelta(int layer, double[] below, Pass f, int n) {
        double[] z = f.z()[layer + 1];
        double[] a = f.a()[layer + 1];
        for (int q = 0; q < below.length; q++) {
            below[q] *= localDerivative(layer, z[q], a[q]);
        }
    }

    /** 1/N under mean reduction, 1 under sum. */
    double reductionScale(int n) {
        return mlp.reductionScale(n);
    }

    /** The L2 penalty's gradient for parameter p: λ/m·θ_p for penalised parameters. */
    double l2Term(int p, double[] theta, int n) {
        return mlp.penalised(p) ? mlp.l2Scale(n) * theta[p] : 0;
    }

    /** Last touch on the finished gradient. */
    void postProcess(double[] grad) {
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** Whether the output delta comes in the combined form a − y rather than dℓ/da ⊙ f'(z). */
    boolean combinedOutput() {
        Activation f = output.activation();
        return f == null || (output.loss() == Losses.BINARY_CROSS_ENTROPY && f.name().equals("sigmoid")
                && !f.derivativeOverridden());
    }

    /**
     * The reference forward pass with {@link #afterHidden} called on each hidden layer's activations
     * before the next layer reads them: for mutants that change the forward pass.
     */
    final Pass forwardWrittenOut(double[] theta, Dataset data) {
        Forward f = mlp.forward(theta, data, this::afterHidden);
        return new Pass(f.z, f.a, f.loss);
    }

    /** Called by {@link #forwardWrittenOut} on hidden layer {@code layer}'s activations (N×width). */
    void afterHidden(int layer, double[] a, int n) {
    }
}
