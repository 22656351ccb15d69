package dev.gradproof.train;

import dev.gradproof.network.Activation;
import dev.gradproof.network.Activations;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;

/** A built-in activation with the derivative a mutant's backpropagation uses instead of its own (for plots). */
final class DeclaredActivation implements Activation {
    private final Activation base;
    private final Lessons.Declared declared;

    DeclaredActivation(Activation base, Lessons.Declared declared) {
        this.base = base;
        this.declared = declared;
    }

    public String name() { return base.name(); }
    public double value(double x) { return base.value(x); }
    public double derivative(double x) { return declared.derivative().applyAsDouble(x); }
    public DerivativeStructure value(DerivativeStructure x) { return base.value(x); }
    public double exactDerivativeError(double x) { return base.exactDerivativeError(x); }
    public double[] kinks() { return base.kinks(); }
    public double derivativeJump(double kink) { return base.derivativeJump(kink); }
    public boolean derivativeOverridden() { return true; }

    /** A few roundings of the value: the formulas here are short. */
    public double declaredDerivativeError(double x) {
        return 8 * Activations.U * (1 + Math.abs(derivative(x)));
    }
}
