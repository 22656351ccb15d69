package dev.gradproof.mutants;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activations;
import dev.gradproof.network.Mlp;
import dev.gradproof.spec.LossSpec;
import dev.gradproof.spec.Spec;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import dev.gradproof.network.Dataset;
import dev.gradproof.network.Losses;
import org.apiguardian.api.API;

/**
 * The zoo: realistic backpropagation mistakes, each the reference {@link Backprop} with one step
 * overridden, and correct variants that must never be flagged. Read each class as a diff against
 * the reference step it replaces.
 */
@API(status = INTERNAL, since = "0.2")
public final class Mutants {
    private Mutants() {
    }

    private static final List<Mutant> ALL = List.of(
            new Mutant("tanh-tan", false, "float64",
                    "tanh' written as 1 - tanh(z)*tan(z) instead of 1 - tanh(z)^2",
                    "A numpy tutorial's hand-written derivative, `def tanh_deriv(x): return 1.0 - np.tanh(x) * np.tan(x)`: "
                            + "one letter away from 1 - tanh(x)^2 and close to it for small x (tanh x tan x = x^2 + O(x^6), "
                            + "tanh^2 x = x^2 - 2x^4/3 + ...), so training still converges and the loss curve looks plausible. "
                            + "The wrong factor enters the delta of every tanh layer, and through it the gradients of that "
                            + "layer and all layers below.",
                    "a tanh layer whose derivative backpropagation uses (hidden, or the output under a non-combined loss) "
                            + "with a trainable layer at or below it",
                    f -> f.derivativeOf("tanh layer", l -> f.activation(l).equals("tanh")),
                    (spec, mlp) -> new TanhTan(mlp)),
            new Mutant("sigmoid-on-activation", false, "float64",
                    "sigmoid' evaluated at the activation: s(a)(1 - s(a)) with a = s(z)",
                    "Code caches the activations and has a helper `sigmoid_prime(x) = sigmoid(x) * (1 - sigmoid(x))`, then "
                            + "calls it on the cached activation a instead of on z, mixing the two idioms s'(z) = s(z)(1 - s(z)) "
                            + "and s' = a(1 - a). The factor it computes, s(s(z))(1 - s(s(z))), always lies between 0.19 and 0.25, "
                            + "so the gradients keep their signs and training is merely slower.",
                    "a sigmoid layer whose derivative backpropagation uses (hidden, or the output under a loss other than "
                            + "binary cross-entropy) with a trainable layer at or below it",
                    f -> f.derivativeOf("sigmoid layer", l -> f.activation(l).equals("sigmoid")),
                    (spec, mlp) -> new SigmoidOnActivation(mlp)),
            new Mutant("hidden-delta-missing-derivative", false, "float64",
                    "hidden delta = W^T delta without the factor f'(z)",
                    "The chain rule through a hidden layer has two factors: the weights back to the layer below and the "
                            + "layer's own local derivative. Code first written for a linear network, or a refactor that moved "
                            + "the activation into its own module whose backward was never wired up, propagates W^T delta alone. "
                            + "The output layer's gradient stays right, so a check of the last layer only misses it.",
                    "a hidden layer with an activation other than identity and a trainable layer at or below it",
                    f -> f.derivativeOf("hidden layer with a nonlinear activation",
                            l -> l < f.last && !f.activation(l).equals("identity")),
                    (spec, mlp) -> new HiddenDeltaMissingDerivative(mlp)),
            new Mutant("bias-first-example", false, "float64",
                    "bias gradient from example 0 only (db = delta[0] instead of a sum over the batch)",
                    "Backprop first written for one example and then batched: the weight gradient becomes a matrix "
                            + "product that sums over the examples by itself, but the bias line stays `db = delta[0]` (or "
                            + "sums over the wrong axis of an N x 1 array). Only the biases are off, by the other N - 1 "
                            + "examples' share.",
                    "more than one example and a trainable layer with a bias",
                    f -> f.examples() < 2 ? Applicability.no("one example: delta[0] is the whole batch")
                            : anyTrainableBias(f) ? Applicability.yes()
                            : Applicability.no("no trainable layer has a bias"),
                    (spec, mlp) -> new BiasFirstExample(mlp)),
            new Mutant("mean-not-divided", false, "float64",
                    "loss averaged over the N examples, gradient summed (missing 1/N)",
                    "The loss is computed with `.mean()`, but the hand-written backward starts from delta = a - y per "
                            + "example and sums over the batch without dividing by N: the data part of the gradient is N times "
                            + "too large. With a learning rate tuned by hand this goes unnoticed, since it only rescales the "
                            + "step. Under reduction sum, or with a single example, the two agree.",
                    "reduction mean over more than one example",
                    f -> !f.mean() ? Applicability.no("reduction is sum")
                            : f.examples() < 2 ? Applicability.no("one example: the mean is the sum")
                            : Applicability.yes(),
                    (spec, mlp) -> new MeanNotDivided(mlp)),
            new Mutant("l2-on-biases-in-gradient", false, "float64",
                    "L2 term lambda/m*b added to the bias gradients, though the loss penalises weights only",
                    "The loss follows the convention that biases are not regularised (Andrew Ng's ex4 skips the bias "
                            + "column in the penalty), but the backward adds lambda/m * theta to every parameter of the unrolled "
                            + "vector, `grad += lam / m * theta`. The bias gradients then carry a penalty the loss does not have.",
                    "l2 > 0 without `biases: true`, a trainable layer with a bias, and biases not initialised to zero",
                    f -> f.spec.loss().l2() <= 0 ? Applicability.no("no L2 penalty")
                            : f.spec.loss().l2Biases() ? Applicability.no("the spec penalises the biases too: the term is correct")
                            : !anyTrainableBias(f) ? Applicability.no("no trainable layer has a bias")
                            : f.spec.weights().biases().equals("zero")
                            ? Applicability.no("biases are initialised to zero, so lambda/m*b is 0")
                            : Applicability.yes(),
                    (spec, mlp) -> new L2OnBiasesInGradient(mlp)),
            new Mutant("l2-half-lambda", false, "float64",
                    "L2 gradient lambda/(2m)*W instead of lambda/m*W",
                    "The penalty is lambda/(2m) * sum W^2; in its derivative the 2 of W^2 cancels the 1/2, but the code "
                            + "copies the penalty's coefficient lambda/(2m) into the gradient. Regularisation is half as strong "
                            + "as the loss says, which no training curve reveals.",
                    "l2 > 0",
                    f -> f.spec.loss().l2() <= 0 ? Applicability.no("no L2 penalty") : Applicability.yes(),
                    (spec, mlp) -> new L2HalfLambda(mlp)),
            new Mutant("last-layer-sign-flip", false, "float64",
                    "the output layer's gradient has the wrong sign (error y - a there only)",
                    "Two sign conventions meet: the output layer's step is written from the perceptron rule "
                            + "`W += lr * (y - a) * h`, so its 'gradient' comes out as (y - a) h^T, while the error sent to the "
                            + "layers below uses a - y as it should. The last layer then climbs the loss while the others "
                            + "descend it; only its own parameters are wrong.",
                    "a trainable output layer",
                    f -> f.trainable(f.last) ? Applicability.yes() : Applicability.no("the output layer is frozen"),
                    (spec, mlp) -> new LastLayerSignFlip(mlp)),
            new Mutant("swap-w1-rows", false, "float64",
                    "rows 0 and 1 of W1's gradient exchanged",
                    "An indexing slip in the first layer: a loop that writes dW1[j][i] with the indices from the wrong "
                            + "ranges, a permutation of the hidden units applied on the way forward but not on the way back, "
                            + "or a reshape in the wrong order puts unit 0's weight gradient on unit 1 and vice versa. Every "
                            + "entry has a plausible magnitude, so norms and histograms look right; only a per-parameter "
                            + "comparison sees it.",
                    "a trainable first layer with at least 2 units",
                    f -> !f.trainable(0) ? Applicability.no("layer 1 is frozen")
                            : f.units(0) < 2 ? Applicability.no("W1 has a single row") : Applicability.yes(),
                    (spec, mlp) -> new SwapW1Rows(mlp)),
            new Mutant("stale-weights", false, "float64",
                    "the error is sent below through W already updated by one SGD step",
                    "Training code that updates each layer as soon as its gradient is known, `W2 -= lr * dW2`, and only "
                            + "then computes the next delta with `W2.T @ delta`, now through the updated weights. The error is "
                            + "proportional to the step; here the step is sized so that it moves each W by 1e-3 of its norm "
                            + "(eta = 1e-3 |W| / |dW|), leaving the lower layers' gradients off by about 0.1 %: the "
                            + "'uncomfortable' band of the usual finite-difference rule of thumb, easily waved away.",
                    "a trainable layer l >= 2 with a trainable layer below it",
                    f -> f.backwardThrough(f::trainable, "no trainable layer above a hidden layer",
                            "the layers below the trainable ones are frozen"),
                    (spec, mlp) -> new StaleWeights(mlp)),
            new Mutant("softmax-z-minus-y", false, "float64",
                    "output delta z - y instead of softmax(z) - y",
                    "The well-known simplification dl/dz = softmax(z) - y for softmax with cross-entropy, written from "
                            + "memory as `logits - y`, the same shape as the linear-regression delta. The forward pass still "
                            + "applies the softmax and reports the right loss.",
                    "loss softmax_cross_entropy",
                    f -> f.spec.loss().type() == LossSpec.LossType.SOFTMAX_CROSS_ENTROPY ? Applicability.yes()
                            : Applicability.no("loss is " + f.spec.loss().type().yamlName() + ", not softmax_cross_entropy"),
                    (spec, mlp) -> new SoftmaxZMinusY(mlp)),
            new Mutant("leaky-slope", false, "float64",
                    "leaky ReLU derivative with slope 0.01 while the forward uses the spec's slope (0.1 if that is 0.01)",
                    "The slope is an argument of the forward, `LeakyReLU(0.2)`, but the backward was written against the "
                            + "default: `np.where(z > 0, 1, 0.01)`. Units with z > 0 are right; every negative unit passes "
                            + "back the wrong fraction of its error. (On a spec whose slope is 0.01 the mutant uses 0.1, so it "
                            + "is always wrong.)",
                    "a leaky_relu layer whose derivative backpropagation uses, with a trainable layer at or below it",
                    f -> f.derivativeOf("leaky_relu layer", l -> f.activation(l).equals("leaky_relu")),
                    LeakySlope::new),
            new Mutant("w-not-transposed", false, "float64",
                    "error sent below as W delta instead of W^T delta, where W is square",
                    "In `delta = (W @ delta) * f'(z)` the transpose is missing. With a rectangular W numpy refuses the "
                            + "product, so the bug survives only where a weight matrix is square, e.g. between two hidden "
                            + "layers of equal width, which is exactly where it is silent. The mutant uses W where W_l is "
                            + "square and W^T elsewhere (where the bug could not have survived).",
                    "a layer l >= 2 whose W_l is square with at least 2 rows (units_l = units_(l-1) >= 2) and a trainable "
                            + "layer below it",
                    f -> f.backwardThrough(l -> f.units(l) == f.fanIn(l) && f.units(l) >= 2,
                            "no square weight matrix (at least 2 x 2) above a hidden layer",
                            "the layers below the square weight matrices are frozen"),
                    (spec, mlp) -> new WNotTransposed(mlp)),
            new Mutant("dropout-backward", false, "float64",
                    "forward drops units of hidden layer 1 (fixed mask, keep 0.8); backward forgets the mask",
                    "Inverted dropout added to a working network: `h *= mask / keep` in the forward, while the "
                            + "hand-written backward still computes delta_1 = (W2^T delta_2) * f'(z_1) without `* mask / keep`. "
                            + "Dropped units receive gradient they did not earn and kept ones get it unscaled. The mask is "
                            + "fixed (seed " + Dropout.SEED + ", keep probability " + Dropout.KEEP + ") so the loss is a "
                            + "function of the parameters. A spec cannot describe dropout, so its loss is not the spec's: "
                            + "the harness must tell this from a correct dropout (whose gradient is its own loss's gradient, "
                            + "verdict forward-differs) by checking the gradient against finite differences of the "
                            + "implementation's own loss.",
                    "a hidden layer, the first layer trainable",
                    f -> f.last < 1 ? Applicability.no("no hidden layer")
                            : !f.trainable(0) ? Applicability.no("layer 1 is frozen") : Applicability.yes(),
                    (spec, mlp) -> new Dropout(mlp, false)),
            new Mutant("relu-derivative-one-at-zero", true, "float64",
                    "ReLU'(0) taken as 1 instead of 0 (both are valid subgradients)",
                    "ReLU is not differentiable at 0. PyTorch and TensorFlow use 0 there; hand-written code often writes "
                            + "`z >= 0`, i.e. 1. Both are subgradients, and a harness must not flag either: relu-network's exact "
                            + "zero inputs and zero biases put pre-activations exactly at 0.",
                    "a relu layer whose derivative backpropagation uses",
                    f -> f.derivativeOf("relu layer", l -> f.activation(l).equals("relu")),
                    (spec, mlp) -> new ReluOneAtZero(mlp)),
            new Mutant("float32", true, "float32",
                    "the whole forward and backward pass in single precision",
                    "A correct network computed in float32, as most frameworks train: parameters and data rounded to "
                            + "float on entry, float sums and products, each elementwise function rounded to float. Its "
                            + "gradient differs from the double-precision reference by about 1e-7 relative, far more than "
                            + "double rounding; declaring dtype float32 must widen the harness's tolerance enough not to flag it.",
                    "any spec",
                    f -> Applicability.yes(),
                    (spec, mlp) -> new Float32Backprop(mlp)));

    /** Every mutant, bugs first, then the correct variants. */
    public static List<Mutant> all() {
        return ALL;
    }

    /** The bugs alone. */
    public static List<Mutant> bugs() {
        return ALL.stream().filter(m -> !m.correct()).toList();
    }

    /**
     * @throws IllegalArgumentException for an unknown name, listing the valid ones
     */
    public static Mutant byName(String name) {
        for (Mutant m : ALL) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mutant '" + name + "'; valid names: "
                + ALL.stream().map(Mutant::name).collect(Collectors.joining(", ")));
    }

    private static boolean anyTrainableBias(Facts f) {
        for (int l = 0; l <= f.last; l++) {
            if (f.trainable(l) && f.layers.get(l).bias()) {
                return true;
            }
        }
        return false;
    }

    // ---- the mutants, each one step of Backprop replaced ------------------------------------------

    /** tanh' = 1 - tanh(z)·tan(z). */
    static final class TanhTan extends Backprop {
        TanhTan(Mlp mlp) {
            super(mlp);
        }

        @Override
        double localDerivative(int layer, double z, double a) {
            if (!mlp.activation(layer).name().equals("tanh")) {
                return super.localDerivative(layer, z, a);
            }
            return 1 - Math.tanh(z) * Math.tan(z);            // reference: 1 - tanh(z) * tanh(z)
        }
    }

    /** σ' evaluated at a = σ(z). */
    static final class SigmoidOnActivation extends Backprop {
        SigmoidOnActivation(Mlp mlp) {
            super(mlp);
        }

        @Override
        double localDerivative(int layer, double z, double a) {
            if (!mlp.activation(layer).name().equals("sigmoid")) {
                return super.localDerivative(layer, z, a);
            }
            double s = Activations.sigmoid(a);                 // reference: sigmoid(z)
            return s * (1 - s);
        }
    }

    /** δ_l = Wᵀδ_{l+1}, the ⊙ f'(z_l) forgotten. */
    static final class HiddenDeltaMissingDerivative extends Backprop {
        HiddenDeltaMissingDerivative(Mlp mlp) {
            super(mlp);
        }

        @Override
        void hiddenDelta(int layer, double[] below, Pass f, int n) {
            // reference: below[q] *= f'(z[q])
        }
    }

    /** db from example 0 only. */
    static final class BiasFirstExample extends Backprop {
        BiasFirstExample(Mlp mlp) {
            super(mlp);
        }

        @Override
        double biasTerm(int l, int example, double delta) {
            return example == 0 ? delta : 0;                   // reference: delta, for every example
        }
    }

    /** Mean loss, summed gradient. */
    static final class MeanNotDivided extends Backprop {
        MeanNotDivided(Mlp mlp) {
            super(mlp);
        }

        @Override
        double reductionScale(int n) {
            return 1;                                          // reference: 1/N under mean
        }
    }

    /** λ/m·θ on every parameter, biases included. */
    static final class L2OnBiasesInGradient extends Backprop {
        L2OnBiasesInGradient(Mlp mlp) {
            super(mlp);
        }

        @Override
        double l2Term(int p, double[] theta, int n) {
            return mlp.lambda() != 0 ? mlp.l2Scale(n) * theta[p] : 0;   // reference: penalised(p) only
        }
    }

    /** λ/(2m)·W. */
    static final class L2HalfLambda extends Backprop {
        L2HalfLambda(Mlp mlp) {
            super(mlp);
        }

        @Override
        double l2Term(int p, double[] theta, int n) {
            return 0.5 * super.l2Term(p, theta, n);            // reference: λ/m · θ
        }
    }

    /** The output layer's own gradient from y − a. */
    static final class LastLayerSignFlip extends Backprop {
        LastLayerSignFlip(Mlp mlp) {
            super(mlp);
        }

        @Override
        double weightTerm(int l, int example, double delta, double input) {
            return l == layout.layers() - 1 ? -delta * input : delta * input;
        }

        @Override
        double biasTerm(int l, int example, double delta) {
            return l == layout.layers() - 1 ? -delta : delta;
        }
    }

    /** Rows 0 and 1 of dW1 exchanged. */
    static final class SwapW1Rows extends Backprop {
        SwapW1Rows(Mlp mlp) {
            super(mlp);
        }

        @Override
        void postProcess(double[] grad) {
            int in = layout.size(0);
            if (layout.size(1) < 2) {
                return;
            }
            int w = layout.weightOffset(0);
            for (int j = 0; j < in; j++) {
                double t = grad[w + j];
                grad[w + j] = grad[w + in + j];
                grad[w + in + j] = t;
            }
        }
    }

    /** Wᵀδ through weights already moved by one SGD step. */
    static final class StaleWeights extends Backprop {
        /** The step moves W_l by this fraction of its norm. */
        static final double STEP = 1e-3;

        StaleWeights(Mlp mlp) {
            super(mlp);
        }

        @Override
        double[] backwardProduct(int l, double[] theta, double[] grad, double[] delta, int n) {
            if (layout.frozen(l)) {
                return super.backwardProduct(l, theta, grad, delta, n);
            }
            int w = layout.weightOffset(l);
            int count = layout.size(l) * layout.size(l + 1);
            double scale = reductionScale(n);
            double[] g = new double[count];
            double gNorm = 0;
            double wNorm = 0;
            for (int q = 0; q < count; q++) {
                g[q] = scale * grad[w + q] + l2Term(w + q, theta, n);
                gNorm += g[q] * g[q];
                wNorm += theta[w + q] * theta[w + q];
            }
            if (gNorm == 0) {
                return super.backwardProduct(l, theta, grad, delta, n);
            }
            double eta = STEP * Math.sqrt(wNorm / gNorm);
            double[] updated = theta.clone();
            for (int q = 0; q < count; q++) {
                updated[w + q] -= eta * g[q];                  // W_l -= lr * dW_l, before ...
            }
            return super.backwardProduct(l, updated, grad, delta, n);   // ... delta = W_l^T delta
        }
    }

    /** δ_L = z − y. */
    static final class SoftmaxZMinusY extends Backprop {
        SoftmaxZMinusY(Mlp mlp) {
            super(mlp);
        }

        @Override
        void outputDelta(double[] z, double[] a, int off, double[] y, double[] delta, double[] g) {
            if (output.activation() != null || output.loss() != Losses.CROSS_ENTROPY) {
                super.outputDelta(z, a, off, y, delta, g);
                return;
            }
            for (int i = 0; i < output.width(); i++) {
                delta[off + i] = z[off + i] - y[off + i];      // reference: softmax(z) - y
            }
        }
    }

    /** Leaky ReLU' with the default slope. */
    static final class LeakySlope extends Backprop {
        private final double[] wrongSlope;

        LeakySlope(Spec spec, Mlp mlp) {
            super(mlp);
            wrongSlope = new double[layout.layers()];
            for (int l = 0; l < wrongSlope.length; l++) {
                wrongSlope[l] = spec.network().layers().get(l).activation().slope() == 0.01 ? 0.1 : 0.01;
            }
        }

        @Override
        double localDerivative(int layer, double z, double a) {
            if (!mlp.activation(layer).name().equals("leaky_relu")) {
                return super.localDerivative(layer, z, a);
            }
            return z > 0 ? 1 : wrongSlope[layer];              // reference: z > 0 ? 1 : slope
        }
    }

    /** W δ where W is square. */
    static final class WNotTransposed extends Backprop {
        WNotTransposed(Mlp mlp) {
            super(mlp);
        }

        @Override
        double[] backwardProduct(int l, double[] theta, double[] grad, double[] delta, int n) {
            int size = layout.size(l);
            if (size != layout.size(l + 1)) {
                return super.backwardProduct(l, theta, grad, delta, n);   // W delta would not even fit
            }
            int w = layout.weightOffset(l);
            double[] below = new double[n * size];
            for (int e = 0; e < n; e++) {
                for (int i = 0; i < size; i++) {
                    double d = delta[e * size + i];
                    for (int j = 0; j < size; j++) {
                        below[e * size + j] += theta[w + j * size + i] * d;   // reference: theta[w + i*size + j]
                    }
                }
            }
            return below;
        }
    }

    /** Inverted dropout on hidden layer 1 in the forward; with {@code maskInBackward} false, not in the backward. */
    static final class Dropout extends Backprop {
        static final double KEEP = 0.8;
        static final long SEED = 20140601L;
        private final boolean maskInBackward;

        Dropout(Mlp mlp, boolean maskInBackward) {
            super(mlp);
            this.maskInBackward = maskInBackward;
        }

        /** mask / keep for N×width entries: 1/keep with probability keep, else 0; the same every call. */
        static double[] mask(int size) {
            SplittableRandom r = new SplittableRandom(SEED);
            double[] m = new double[size];
            for (int q = 0; q < size; q++) {
                m[q] = r.nextDouble() < KEEP ? 1 / KEEP : 0;
            }
            return m;
        }

        @Override
        Pass forward(double[] theta, Dataset data) {
            return forwardWrittenOut(theta, data);             // reference: mlp.forward, no dropout
        }

        @Override
        void afterHidden(int layer, double[] a, int n) {
            if (layer == 0) {
                double[] m = mask(a.length);
                for (int q = 0; q < a.length; q++) {
                    a[q] *= m[q];                              // h *= mask / keep
                }
            }
        }

        @Override
        void hiddenDelta(int layer, double[] below, Pass f, int n) {
            super.hiddenDelta(layer, below, f, n);
            if (maskInBackward && layer == 0) {                // the line the mutant forgets
                double[] m = mask(below.length);
                for (int q = 0; q < below.length; q++) {
                    below[q] *= m[q];
                }
            }
        }
    }

    /** ReLU'(0) = 1: a correct subgradient. */
    static final class ReluOneAtZero extends Backprop {
        ReluOneAtZero(Mlp mlp) {
            super(mlp);
        }

        @Override
        double localDerivative(int layer, double z, double a) {
            if (!mlp.activation(layer).name().equals("relu")) {
                return super.localDerivative(layer, z, a);
            }
            return z >= 0 ? 1 : 0;                             // reference: z > 0 ? 1 : 0
        }
    }
}
