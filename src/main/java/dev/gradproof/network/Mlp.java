package dev.gradproof.network;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.stream.IntStream;
import org.apiguardian.api.API;

/**
 * The reference network: a batched multi-layer perceptron whose backpropagation follows the textbook
 * derivation line by line, using each activation's <em>declared</em> derivative. Its gradient is the
 * analytic gradient under test; the oracles in {@code dev.gradproof.oracle} re-derive it independently.
 *
 * <p>Parameters are one flat vector laid out by {@link ParameterLayout}; W_l has shape [out][in].
 */
@API(status = INTERNAL, since = "0.2")
public final class Mlp {
    private final ParameterLayout layout;
    private final Activation[] activations; // [layer], null for a softmax output
    private final OutputStage output;
    private final boolean mean;
    private final double lambda;
    private final boolean l2Biases;

    public Mlp(ParameterLayout layout, Activation[] activations, OutputStage output, boolean mean, double lambda,
               boolean l2Biases) {
        this.layout = layout;
        this.activations = activations.clone();
        this.output = output;
        this.mean = mean;
        this.lambda = lambda;
        this.l2Biases = l2Biases;
    }

    public ParameterLayout layout() {
        return layout;
    }

    /** Activation of 0-based layer l; null for a softmax output layer. */
    public Activation activation(int l) {
        return activations[l];
    }

    public OutputStage output() {
        return output;
    }

    /** Whether any layer's activation has a kink (ReLU-like), where derivatives are conventions. */
    public boolean hasKinks() {
        for (Activation a : activations) {
            if (a != null && a.kinks().length > 0) {
                return true;
            }
        }
        return false;
    }

    public boolean meanReduction() {
        return mean;
    }

    public double lambda() {
        return lambda;
    }

    public boolean l2Biases() {
        return l2Biases;
    }

    /** Factor applied to the sum of per-example losses: 1/N under mean, 1 under sum. */
    public double reductionScale(int examples) {
        return mean ? 1.0 / examples : 1.0;
    }

    /** λ/m: the L2 gradient is this times the weight; the penalty is half of it times ΣW². */
    public double l2Scale(int examples) {
        return lambda * reductionScale(examples);
    }

    public boolean penalised(int p) {
        return lambda != 0 && (l2Biases || !layout.isBias(p));
    }

    public Forward forward(double[] theta, Dataset data) {
        return forward(theta, data, null);
    }

    /** Sees (and may change) a hidden layer's activations before the next layer reads them. */
    @FunctionalInterface
    public interface HiddenHook {
        /** @param a layer {@code layer}'s (0-based) activations, N×width row-major */
        void afterHidden(int layer, double[] a, int examples);
    }

    /**
     * The forward pass with a hook on each hidden layer's activations: how a variant with a
     * different forward pass (a dropout mask) is written without copying this loop.
     */
    public Forward forward(double[] theta, Dataset data, HiddenHook hook) {
        int layers = layout.layers();
        int n = data.examples();
        double[][] z = new double[layers + 1][];
        double[][] a = new double[layers + 1][];
        a[0] = data.x();
        // Examples are independent: a large pass is cut into chunks spread over the cores; each example's
        // arithmetic is the same whichever thread does it, so the result does not depend on the split.
        int chunks = (long) n * layout.total() >= PARALLEL_WORK ? 4 * Runtime.getRuntime().availableProcessors() : 1;
        for (int l = 0; l < layers; l++) {
            int out = layout.size(l + 1);
            z[l + 1] = new double[n * out];
            a[l + 1] = new double[n * out];
            int layer = l;
            IntStream chunkIndices = IntStream.range(0, chunks);
            (chunks > 1 ? chunkIndices.parallel() : chunkIndices).forEach(c ->
                    forwardLayer(theta, z, a, layer, (int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks)));
            if (hook != null && l < layers - 1) {
                hook.afterHidden(l, a[l + 1], n);
            }
        }
        int k = layout.size(layers);
        double[] exampleLoss = new double[n];
        double sum = 0;
        for (int e = 0; e < n; e++) {
            exampleLoss[e] = output.loss(z[layers], a[layers], e * k, data.y(), e * k);
            sum += exampleLoss[e];
        }
        return new Forward(z, a, exampleLoss, reductionScale(n) * sum + penalty(theta, n));
    }

    /** Multiply-adds of a forward pass above which it is spread over the cores. */
    private static final long PARALLEL_WORK = 1L << 21;

    /** Layer l's z and a for examples [from, to). */
    private void forwardLayer(double[] theta, double[][] z, double[][] a, int l, int from, int to) {
        int layers = layout.layers();
        int in = layout.size(l);
        int out = layout.size(l + 1);
        int w = layout.weightOffset(l);
        int b = layout.biasOffset(l);
        double[] prev = a[l];
        double[] zl = z[l + 1];
        for (int e = from; e < to; e++) {
            for (int i = 0; i < out; i++) {
                double s = b >= 0 ? theta[b + i] : 0;
                int row = w + i * in;
                int col = e * in;
                for (int j = 0; j < in; j++) {
                    s += theta[row + j] * prev[col + j];
                }
                zl[e * out + i] = s;
            }
            if (l == layers - 1) {
                output.activate(zl, e * out, a[l + 1], e * out);
            } else {
                Activation f = activations[l];
                for (int i = 0; i < out; i++) {
                    a[l + 1][e * out + i] = f.value(zl[e * out + i]);
                }
            }
        }
    }

    public double loss(double[] theta, Dataset data) {
        return forward(theta, data).loss;
    }

    /** λ/(2m) Σ W² (and biases when asked). */
    public double penalty(double[] theta, int examples) {
        if (lambda == 0) {
            return 0;
        }
        double s = 0;
        for (int p = 0; p < theta.length; p++) {
            if (penalised(p)) {
                s += theta[p] * theta[p];
            }
        }
        return 0.5 * l2Scale(examples) * s;
    }

    /**
     * The analytic gradient by backpropagation: δ_L = dℓ/da ⊙ f'(z_L) (or the combined form),
     * δ_l = (W_{l+1}ᵀ δ_{l+1}) ⊙ f'(z_l), dL/dW_l = δ_l a_{l−1}ᵀ, dL/db_l = δ_l, reduced over examples,
     * plus λ/m·W.
     */
    public double[] gradient(double[] theta, Dataset data) {
        return gradient(theta, data, forward(theta, data));
    }

    public double[] gradient(double[] theta, Dataset data, Forward f) {
        int layers = layout.layers();
        int n = data.examples();
        int k = layout.size(layers);
        double[] grad = new double[theta.length];
        double[] delta = new double[n * k];
        double[] scratch = new double[k];
        for (int e = 0; e < n; e++) {
            output.delta(f.z[layers], f.a[layers], e * k, data.y(), e * k, delta, e * k, scratch);
        }
        for (int l = layers - 1; l >= 0; l--) {
            int in = layout.size(l);
            int out = layout.size(l + 1);
            int w = layout.weightOffset(l);
            int b = layout.biasOffset(l);
            double[] prev = f.a[l];
            for (int e = 0; e < n; e++) {
                for (int i = 0; i < out; i++) {
                    double d = delta[e * out + i];
                    if (d == 0) {
                        continue;
                    }
                    int row = w + i * in;
                    for (int j = 0; j < in; j++) {
                        grad[row + j] += d * prev[e * in + j];
                    }
                    if (b >= 0) {
                        grad[b + i] += d;
                    }
                }
            }
            if (l > 0) {
                Activation act = activations[l - 1];
                double[] below = new double[n * in];
                double[] zBelow = f.z[l];
                for (int e = 0; e < n; e++) {
                    for (int i = 0; i < out; i++) {
                        double d = delta[e * out + i];
                        int row = w + i * in;
                        for (int j = 0; j < in; j++) {
                            below[e * in + j] += theta[row + j] * d;
                        }
                    }
                    for (int j = 0; j < in; j++) {
                        below[e * in + j] *= act.derivative(zBelow[e * in + j]);
                    }
                }
                delta = below;
            }
        }
        double scale = reductionScale(n);
        double l2 = l2Scale(n);
        for (int p = 0; p < grad.length; p++) {
            grad[p] = scale * grad[p] + (penalised(p) ? l2 * theta[p] : 0);
        }
        return grad;
    }
}
