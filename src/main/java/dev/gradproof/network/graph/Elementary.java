package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activation;
import org.apiguardian.api.API;

/**
 * A scalar function as the exact oracle sees it: its value in double (the very function the reference
 * forward pass calls, so both forwards agree bit for bit), its exact derivative from Commons Math's
 * {@code DerivativeStructure}, and a bound on how far a correct local derivative may sit from the exact
 * one: the hand-written side's rounding plus the derivative structure's.
 */
@API(status = INTERNAL, since = "0.2")
public interface Elementary {

    String name();

    double value(double x);

    /** From a {@code DerivativeStructure} of the true function, never from a hand-written formula. */
    double exactDerivative(double x);

    /** Bound on |a correct local derivative computed in double − exactDerivative(x)|, both sides' rounding. */
    double derivativeError(double x);

    /** Points where the derivative (or, for a jump of 0, the second derivative) is discontinuous. */
    default double[] kinks() {
        return Activation.NO_KINKS;
    }

    /** |f'(k+) − f'(k−)|: how much a derivative convention at the kink can change what passes through. */
    default double derivativeJump(double kink) {
        return 0;
    }

    /** The larger one-sided slope at a kink: the most any convention there can pass on. */
    default double maxSlope(double kink) {
        double d = 1e-9 * Math.max(1, Math.abs(kink));
        return Math.max(Math.abs(exactDerivative(kink - d)), Math.abs(exactDerivative(kink + d)));
    }

    /** The side of each kink x is on, packed: what a finite difference must not see change. */
    default int branch(double x) {
        double[] k = kinks();
        int code = 0;
        for (int i = 0; i < k.length; i++) {
            code = code * 3 + (x < k[i] ? 0 : x == k[i] ? 1 : 2);
        }
        return code;
    }

    /** An activation as the oracle sees it: its true value, its exact derivative, both derivative bounds. */
    static Elementary of(Activation a) {
        return new Elementary() {
            public String name() {
                return a.name();
            }

            public double value(double x) {
                return a.value(x);
            }

            public double exactDerivative(double x) {
                return a.exactDerivative(x);
            }

            public double derivativeError(double x) {
                return a.declaredDerivativeError(x) + a.exactDerivativeError(x);
            }

            public double[] kinks() {
                return a.kinks();
            }

            public double derivativeJump(double kink) {
                return a.derivativeJump(kink);
            }
        };
    }
}
