package dev.gradproof.oracle;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activation;
import dev.gradproof.network.Activations;
import org.apiguardian.api.API;

/**
 * Where a ReLU-like unit sits relative to its kink. "At" the kink means within the rounding of its
 * pre-activation (plus, for an implementation with its own forward pass, that pass's error bound):
 * there the derivative is a convention and either one-sided slope is right.
 */
@API(status = INTERNAL, since = "0.2")
public final class Kinks {
    private Kinks() {
    }

    /** Rounding radius of a pre-activation z computed by a dot product. */
    public static double radius(double z, double forwardError) {
        return 64 * Activations.U * (Math.abs(z) + 1) + forwardError;
    }

    /** The kink z sits on, or NaN. */
    public static double at(Activation f, double z, double forwardError) {
        if (f == null) {
            return Double.NaN;
        }
        for (double k : f.kinks()) {
            if (Math.abs(z - k) <= radius(z, forwardError)) {
                return k;
            }
        }
        return Double.NaN;
    }

    /** The larger one-sided slope at a kink: the most any convention there can pass on. */
    public static double maxSlope(Activation f, double kink) {
        double d = 1e-9 * Math.max(1, Math.abs(kink));
        return Math.max(Math.abs(f.exactDerivative(kink - d)), Math.abs(f.exactDerivative(kink + d)));
    }

    public static boolean hasKinks(Activation f) {
        return f != null && f.kinks().length > 0;
    }
}
