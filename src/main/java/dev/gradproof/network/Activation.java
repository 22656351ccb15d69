package dev.gradproof.network;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.apiguardian.api.API;

/**
 * An elementwise nonlinearity in three forms side by side: its value, the derivative it
 * <em>declares</em> (hand-written, or a spec's override: what backpropagation uses and what is under
 * test), and its {@link DerivativeStructure} form, which differentiates the true function exactly to
 * rounding whatever the declared derivative says.
 *
 * <p>The two error bounds let the comparison tell a wrong derivative from a correct one evaluated in
 * double: e.g. {@code 1 - tanh(x)^2} for |x| = 20 is all rounding, not a bug.
 */
@API(status = INTERNAL, since = "0.2")
public interface Activation {

    String name();

    double value(double x);

    /** The derivative backpropagation uses. */
    double derivative(double x);

    /** The true function on a derivative structure; its first partial is the exact derivative. */
    DerivativeStructure value(DerivativeStructure x);

    /** Bound on |derivative(x) computed in double − derivative(x) exact|. */
    double declaredDerivativeError(double x);

    /** Bound on the rounding error of the first partial of {@link #value(DerivativeStructure)}. */
    double exactDerivativeError(double x);

    /** Points where the derivative jumps (ReLU-like kinks); empty for smooth functions. */
    default double[] kinks() {
        return NO_KINKS;
    }

    /** |f'(k+) − f'(k−)| at a kink: how much a derivative convention there can change a gradient. */
    default double derivativeJump(double kink) {
        return 0;
    }

    /** Whether {@link #derivative(double)} is a spec's expression rather than the hand-written one. */
    default boolean derivativeOverridden() {
        return false;
    }

    /** Exact first derivative, from the derivative structure. */
    default double exactDerivative(double x) {
        return value(new DerivativeStructure(1, 1, 0, x)).getPartialDerivative(1);
    }

    double[] NO_KINKS = new double[0];
}
