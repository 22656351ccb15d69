package dev.gradproof.network;

import dev.gradproof.expr.Expression;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;

/**
 * A {@code custom} activation: both the value and the declared derivative are a spec's expressions.
 * The exact derivative comes from evaluating the value expression on a derivative structure.
 */
final class ExpressionActivation implements Activation {
    private final Expression value;
    private final Expression derivative;

    ExpressionActivation(Expression value, Expression derivative) {
        this.value = value;
        this.derivative = derivative;
    }

    public String name() { return "custom"; }
    public double value(double x) { return value.value(x); }
    public double derivative(double x) { return derivative.value(x); }
    public DerivativeStructure value(DerivativeStructure x) { return value.value(x); }
    public double declaredDerivativeError(double x) { return derivative.roundingErrorBound(x); }

    // Forward-mode AD of an arbitrary expression has no closed-form error bound here; the first
    // partial is a sum of products of 1-ulp-accurate elementary derivatives, so a few dozen ulps of
    // the larger of the two derivatives (and of 1, to cover cancellation) is generous.
    public double exactDerivativeError(double x) {
        double scale = Math.max(1, Math.max(Math.abs(derivative(x)), Math.abs(exactDerivative(x))));
        return 64 * Activations.U * scale;
    }

    public boolean derivativeOverridden() { return true; }
}
