package dev.gradproof.train;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.spec.ActivationSpec;

import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import org.apiguardian.api.API;

/**
 * What the teaching pages add to each mutant of the zoo: how to fix it, and, for a mistake in an
 * activation's derivative, the derivative backpropagation then uses (for the derivative plot).
 */
@API(status = INTERNAL, since = "0.2")
public final class Lessons {
    private Lessons() {
    }

    /** The derivative a mutant's backpropagation uses for one layer, and its formula. */
    public record Declared(DoubleUnaryOperator derivative, String formula) {
    }

    private static final Map<String, String> FIXES = Map.ofEntries(
            Map.entry("tanh-tan", "Use tanh'(z) = 1 - tanh(z)^2, or from the cached activation a = tanh(z), `1 - a**2`. "
                    + "The two formulas agree to within (2/3) z^4 near 0, so small-weight smoke tests pass either way: "
                    + "check any hand-written derivative against finite differences or `gradproof check` with weights "
                    + "large enough to push |z| past 1."),
            Map.entry("sigmoid-on-activation", "Pick one idiom and keep it: sigma'(z) = sigma(z)(1 - sigma(z)) evaluated at "
                    + "the pre-activation z, or `a * (1 - a)` on the cached activation a = sigma(z). Calling "
                    + "`sigmoid_prime(a)` applies the sigmoid twice. Naming helpers after what they take "
                    + "(`sigmoid_prime_from_output(a)`) prevents the mix-up."),
            Map.entry("hidden-delta-missing-derivative", "Multiply the error sent back by the layer's local derivative: "
                    + "delta_l = (W_{l+1}^T delta_{l+1}) * f'(z_l), elementwise. When activations are separate modules, "
                    + "make sure the activation's backward runs between the two dense layers' backwards."),
            Map.entry("bias-first-example", "Sum the bias gradient over the batch, db = sum over examples of delta "
                    + "(numpy: `delta.sum(axis=0)`), exactly as the weight gradient's matrix product sums over the "
                    + "examples; under a mean loss divide both by N."),
            Map.entry("mean-not-divided", "Make the backward mirror the forward's reduction: for a loss averaged over N "
                    + "examples, start from delta = (a - y) / N (or divide the summed gradient by N); or use a summed "
                    + "loss in both. A learning rate tuned against the wrong scale must be retuned afterwards."),
            Map.entry("l2-on-biases-in-gradient", "Add lambda/m * theta only to the parameters the penalty contains: skip "
                    + "the biases (Ng's ex4: `grad[:, 1:] += lam / m * Theta[:, 1:]`), or penalise the biases in the "
                    + "loss as well. Whichever you choose, choose it in both places."),
            Map.entry("l2-half-lambda", "The derivative of lambda/(2m) * sum W^2 is lambda/m * W: the 2 of the square "
                    + "cancels the 1/2. Derive the gradient term; do not copy the penalty's coefficient."),
            Map.entry("last-layer-sign-flip", "Use one sign convention everywhere: delta_L = dL/dz_L (a - y for the "
                    + "combined sigmoid/cross-entropy and softmax/cross-entropy, (a - y) * f'(z_L) otherwise) and "
                    + "theta <- theta - eta * gradient for every layer. If you like the perceptron form "
                    + "`W += lr * (y - a) * h`, flip the sign of every layer's step and of the error sent down, not of "
                    + "one layer."),
            Map.entry("swap-w1-rows", "Index the gradient exactly like the parameter: dW[i][j] belongs to the weight from "
                    + "input j to unit i (shape [out][in]). Compute it as one matrix product, dW = delta^T a_prev, rather "
                    + "than with hand-written index loops, and apply any permutation of units in the backward too."),
            Map.entry("stale-weights", "Finish the backward pass before changing any weight: compute every layer's "
                    + "gradient with the weights the forward pass used, then update all layers (collect dW and db for "
                    + "all layers, then run the optimiser step)."),
            Map.entry("softmax-z-minus-y", "The combined derivative of softmax with cross-entropy is softmax(z) - y: the "
                    + "predicted probabilities minus the one-hot target. Use the activation a, not the logits z "
                    + "(z - y is the delta of linear outputs under squared error, a different loss)."),
            Map.entry("leaky-slope", "Give the forward and the backward the same slope: store it on the layer "
                    + "(`self.slope`) and use it in both, instead of a default argument in a separate derivative "
                    + "function."),
            Map.entry("w-not-transposed", "The error goes back through the transpose: delta_l = (W_{l+1}^T delta_{l+1}) "
                    + "* f'(z_l). With W of shape [out][in], `W.T @ delta` maps an out-vector to an in-vector. Square "
                    + "layers hide the mistake from shape checks; a gradient check does not."),
            Map.entry("dropout-backward", "Apply the forward's mask in the backward too: delta_h *= mask / keep, with "
                    + "the very mask saved during the forward pass (and no dropout at all outside training)."),
            Map.entry("relu-derivative-one-at-zero", "ReLU has no derivative at 0 and any value in "
                    + "[0, 1] is a valid subgradient there; frameworks pick 0. gradproof reports parameters whose "
                    + "pre-activations sit exactly on a kink as `kink`, never as a mismatch."),
            Map.entry("float32", "Single precision is a legitimate choice (most training runs in it). "
                    + "Its gradients differ from double precision by rounding, about 1e-7 relative; gradproof widens "
                    + "its tolerance to float32's unit roundoff instead of flagging them."));

    /** Mutants whose mistake is in an activation's derivative. */
    private static final Set<String> DERIVATIVE_BUGS = Set.of("tanh-tan", "sigmoid-on-activation",
            "hidden-delta-missing-derivative", "leaky-slope", "relu-derivative-one-at-zero");

    /** The fix paragraph; a pointer to the explanation for a mutant without one. */
    public static String fix(String mutant) {
        return FIXES.getOrDefault(mutant, "No fix is written down for this mutant yet; its explanation above says "
                + "what is computed instead of the gradient.");
    }

    public static boolean hasFix(String mutant) {
        return FIXES.containsKey(mutant);
    }

    public static boolean derivativeBug(String mutant) {
        return DERIVATIVE_BUGS.contains(mutant);
    }

    /**
     * The derivative the mutant's backpropagation uses on a layer with this activation, or null when
     * the mutant leaves that layer's derivative alone.
     *
     * @param hidden whether the layer is a hidden layer (not the output)
     */
    public static Declared declared(String mutant, ActivationSpec a, boolean hidden) {
        String name = a.name();
        return switch (mutant) {
            case "tanh-tan" -> name.equals("tanh")
                    ? new Declared(x -> 1 - Math.tanh(x) * Math.tan(x), "1 - tanh(x)*tan(x)") : null;
            case "sigmoid-on-activation" -> name.equals("sigmoid") ? new Declared(x -> {
                double s = sigmoid(sigmoid(x));
                return s * (1 - s);
            }, "sigmoid(a)*(1 - sigmoid(a)) with a = sigmoid(x)") : null;
            case "hidden-delta-missing-derivative" -> hidden && !name.equals("identity")
                    ? new Declared(x -> 1, "1 (the factor f'(z) is left out)") : null;
            case "leaky-slope" -> {
                if (!name.equals("leaky_relu")) {
                    yield null;
                }
                double wrong = a.slope() == 0.01 ? 0.1 : 0.01;
                yield new Declared(x -> x > 0 ? 1 : wrong, "1 for x > 0, else " + wrong);
            }
            case "relu-derivative-one-at-zero" -> name.equals("relu")
                    ? new Declared(x -> x >= 0 ? 1 : 0, "1 for x >= 0, else 0") : null;
            default -> null;
        };
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
