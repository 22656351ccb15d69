package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activation;
import dev.gradproof.network.Activations;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.apiguardian.api.API;

/**
 * The scalar functions layers and losses are built from (norms, softmax, gates, robust losses), each
 * as value, exact derivative through {@code DerivativeStructure}, and the rounding bound of a correct
 * local derivative. Bounds are in units of u = 2⁻⁵³ with java.lang.Math and Commons Math's functions
 * taken as accurate to 1 ulp (2u), a hand-written derivative costing a few more roundings, and a factor
 * 2 of slack, as in {@link Activations}.
 */
@API(status = INTERNAL, since = "0.2")
public final class Elementaries {
    private static final double U = Activations.U;

    private Elementaries() {
    }

    private static DerivativeStructure variable(double x) {
        return new DerivativeStructure(1, 1, 0, x);
    }

    /** e^x; the hand-written derivative reuses the forward value, the exact one recomputes it. */
    public static final Elementary EXP = new Elementary() {
        public String name() { return "exp"; }
        public double value(double x) { return Math.exp(x); }
        public double exactDerivative(double x) { return variable(x).exp().getPartialDerivative(1); }
        public double derivativeError(double x) { return 8 * U * Math.exp(x); }
    };

    /** log x; derivative 1/x, one division on either side. */
    public static final Elementary LOG = new Elementary() {
        public String name() { return "log"; }
        public double value(double x) { return Math.log(x); }
        public double exactDerivative(double x) { return variable(x).log().getPartialDerivative(1); }
        public double derivativeError(double x) { return 8 * U / Math.abs(x); }
    };

    /** log(1 + x); derivative 1/(1 + x), whose sum rounds once more. */
    public static final Elementary LOG1P = new Elementary() {
        public String name() { return "log1p"; }
        public double value(double x) { return Math.log1p(x); }
        public double exactDerivative(double x) { return variable(x).log1p().getPartialDerivative(1); }
        public double derivativeError(double x) { return 12 * U / Math.abs(1 + x); }
    };

    /** √x; derivative 1/(2√x). */
    public static final Elementary SQRT = new Elementary() {
        public String name() { return "sqrt"; }
        public double value(double x) { return Math.sqrt(x); }
        public double exactDerivative(double x) { return variable(x).sqrt().getPartialDerivative(1); }
        public double derivativeError(double x) { return 12 * U * 0.5 / Math.sqrt(x); }
    };

    /** 1/x; derivative −1/x², which a hand-written form gets as −r·r from the forward value. */
    public static final Elementary RECIPROCAL = new Elementary() {
        public String name() { return "reciprocal"; }
        public double value(double x) { return 1 / x; }
        public double exactDerivative(double x) { return variable(x).reciprocal().getPartialDerivative(1); }
        public double derivativeError(double x) { return 12 * U / (x * x); }
    };

    /** tanh, as the tanh activation (1 − t² is absolutely, not relatively, accurate). */
    public static final Elementary TANH = Elementary.of(Activations.tanh());

    /** The logistic function, as the sigmoid activation. */
    public static final Elementary SIGMOID = Elementary.of(Activations.sigmoid());

    /** log(1 + e^x) without overflow, as the softplus activation. */
    public static final Elementary SOFTPLUS = Elementary.of(Activations.softplus());

    /** max(0, x) with derivative 0 at 0 (PyTorch's convention): the hinge loss's margin term. */
    public static final Elementary HINGE = Elementary.of(Activations.relu());

    /**
     * |x| with derivative sign(x) and 0 at 0 (PyTorch's sign convention; Commons Math's own abs would
     * follow the sign bit of zero instead).
     */
    public static final Elementary ABS = new Elementary() {
        public String name() { return "abs"; }
        public double value(double x) { return Math.abs(x); }
        public double exactDerivative(double x) {
            DerivativeStructure v = variable(x);
            return (x > 0 ? v : x < 0 ? v.negate() : v.multiply(0)).getPartialDerivative(1);
        }
        public double derivativeError(double x) { return 0; }
        public double[] kinks() { return ZERO; }
        public double derivativeJump(double kink) { return 2; }
    };

    /**
     * Huber's function ½x² for |x| &lt; δ, δ(|x| − ½δ) otherwise (PyTorch's HuberLoss, which takes the
     * linear branch at |x| = δ). Its derivative is continuous; the second derivative jumps at ±δ, which
     * is what spoils a finite difference there, so ±δ are listed as kinks with jump 0.
     */
    public static Elementary huber(double delta) {
        double[] kinks = {-delta, delta};
        return new Elementary() {
            public String name() { return "huber(delta=" + delta + ")"; }
            public double value(double x) {
                double a = Math.abs(x);
                return a < delta ? 0.5 * x * x : delta * (a - 0.5 * delta);
            }
            public double exactDerivative(double x) {
                DerivativeStructure v = variable(x);
                DerivativeStructure f = Math.abs(x) < delta ? v.multiply(v).multiply(0.5)
                        : (x > 0 ? v : v.negate()).subtract(0.5 * delta).multiply(delta);
                return f.getPartialDerivative(1);
            }
            public double derivativeError(double x) { return 0; }
            public double[] kinks() { return kinks; }
        };
    }

    /** An activation's elementwise function, for the exact oracle. */
    public static Elementary activation(Activation a) {
        return Elementary.of(a);
    }

    private static final double[] ZERO = {0.0};
}
