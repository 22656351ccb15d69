package dev.gradproof.network;

import dev.gradproof.expr.Expression;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;

/**
 * A built-in activation whose hand-written derivative a spec replaced by an expression: the value and
 * exact forms stay the built-in's, so a wrong declared derivative is measured against the truth.
 */
final class OverriddenDerivative implements Activation {
    private final Activation base;
    private final Expression derivative;

    OverriddenDerivative(Activation base, Expression derivative) {
        this.base = base;
        this.derivative = derivative;
    }

    public String name() { return base.name(); }
    public double value(double x) { return base.value(x); }
    public double derivative(double x) { return derivative.value(x); }
    public DerivativeStructure value(DerivativeStructure x) { return base.value(x); }
    public double declaredDerivativeError(double x) { return derivative.roundingErrorBound(x); }
    public double exactDerivativeError(double x) { return base.exactDerivativeError(x); }
    public double[] kinks() { return base.kinks(); }
    public double derivativeJump(double kink) { return base.derivativeJump(kink); }
    public boolean derivativeOverridden() { return true; }

    public String expression() { return derivative.source(); }
}
