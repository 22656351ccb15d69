package dev.gradproof.network;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.apiguardian.api.API;

/**
 * The built-in activations. Each one reads top to bottom as: value, hand-written derivative, exact
 * form, and the rounding bounds of the two derivatives (see {@link Activation}).
 *
 * <p>Error bounds are in units of {@link #U}, the unit roundoff of double (2^-53); constants were
 * derived by counting the rounded operations of each formula, with java.lang.Math's transcendental
 * functions taken as accurate to 1 ulp (2u) and a factor 2 of slack.
 */
@API(status = INTERNAL, since = "0.2")
public final class Activations {

    /** Unit roundoff of IEEE double. */
    public static final double U = 0x1.0p-53;

    private Activations() {
    }

    /**
     * Higham's γ_k = ku/(1 − ku): the relative error bound of a chain of k rounded operations with
     * unit roundoff u. Every tolerance and rounding bound in gradproof is built from it.
     */
    public static double gamma(int k, double unitRoundoff) {
        double ku = k * unitRoundoff;
        return ku / (1 - ku);
    }

    public static Activation identity() {
        return new Activation() {
            public String name() { return "identity"; }
            public double value(double x) { return x; }
            public double derivative(double x) { return 1; }
            public DerivativeStructure value(DerivativeStructure x) { return x; }
            public double declaredDerivativeError(double x) { return 0; }
            public double exactDerivativeError(double x) { return 0; }
        };
    }

    public static Activation sigmoid() {
        return new Activation() {
            public String name() { return "sigmoid"; }
            public double value(double x) { return sigmoid(x); }
            public double derivative(double x) {
                double s = sigmoid(x);
                return s * (1 - s);
            }
            public DerivativeStructure value(DerivativeStructure x) { return sigmoid(x); }
            // 1 - s loses all relative accuracy as s -> 1: absolute error ~ u*s, not u*s*(1-s).
            public double declaredDerivativeError(double x) { return 8 * U * sigmoid(x); }
            public double exactDerivativeError(double x) { return 16 * U * derivative(x); }
        };
    }

    public static Activation tanh() {
        return new Activation() {
            public String name() { return "tanh"; }
            public double value(double x) { return StrictMath.tanh(x); }
            public double derivative(double x) {
                double t = StrictMath.tanh(x);
                return 1 - t * t;
            }
            public DerivativeStructure value(DerivativeStructure x) { return x.tanh(); }
            // 1 - t^2 has absolute (not relative) error of a few u; Commons Math's tanh derivative is
            // the same polynomial in t.
            public double declaredDerivativeError(double x) { return 8 * U; }
            public double exactDerivativeError(double x) { return 8 * U; }
        };
    }

    public static Activation relu() {
        return new Activation() {
            public String name() { return "relu"; }
            public double value(double x) { return x > 0 ? x : 0; }
            public double derivative(double x) { return x > 0 ? 1 : 0; }
            public DerivativeStructure value(DerivativeStructure x) {
                return x.getValue() > 0 ? x : x.multiply(0);
            }
            public double declaredDerivativeError(double x) { return 0; }
            public double exactDerivativeError(double x) { return 0; }
            public double[] kinks() { return ZERO_KINK; }
            public double derivativeJump(double kink) { return 1; }
        };
    }

    public static Activation leakyRelu(double slope) {
        return new Activation() {
            public String name() { return "leaky_relu"; }
            public double value(double x) { return x > 0 ? x : slope * x; }
            public double derivative(double x) { return x > 0 ? 1 : slope; }
            public DerivativeStructure value(DerivativeStructure x) {
                return x.getValue() > 0 ? x : x.multiply(slope);
            }
            public double declaredDerivativeError(double x) { return 0; }
            public double exactDerivativeError(double x) { return 0; }
            public double[] kinks() { return ZERO_KINK; }
            public double derivativeJump(double kink) { return Math.abs(1 - slope); }
        };
    }

    public static Activation elu(double alpha) {
        return new Activation() {
            public String name() { return "elu"; }
            public double value(double x) { return x > 0 ? x : alpha * Math.expm1(x); }
            public double derivative(double x) { return x > 0 ? 1 : alpha * Math.exp(x); }
            public DerivativeStructure value(DerivativeStructure x) {
                return x.getValue() > 0 ? x : x.expm1().multiply(alpha);
            }
            public double declaredDerivativeError(double x) { return 4 * U * Math.abs(derivative(x)); }
            public double exactDerivativeError(double x) { return 4 * U * Math.abs(derivative(x)); }
            // Even with alpha = 1 (derivative continuous) the second derivative jumps at 0, which is
            // what spoils a finite difference there.
            public double[] kinks() { return ZERO_KINK; }
            public double derivativeJump(double kink) { return Math.abs(1 - alpha); }
        };
    }

    public static Activation softplus() {
        return new Activation() {
            public String name() { return "softplus"; }
            public double value(double x) { return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)); }
            public double derivative(double x) { return sigmoid(x); }
            public DerivativeStructure value(DerivativeStructure x) {
                return x.getValue() > 0 ? x.add(x.negate().exp().log1p()) : x.exp().log1p();
            }
            public double declaredDerivativeError(double x) { return 8 * U * sigmoid(x); }
            public double exactDerivativeError(double x) { return 16 * U * sigmoid(x); }
        };
    }

    /** Logistic function without overflow for large |x|. */
    public static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    public static DerivativeStructure sigmoid(DerivativeStructure x) {
        if (x.getValue() >= 0) {
            return x.negate().exp().add(1).reciprocal();
        }
        DerivativeStructure e = x.exp();
        return e.divide(e.add(1));
    }

    private static final double[] ZERO_KINK = {0.0};
}
