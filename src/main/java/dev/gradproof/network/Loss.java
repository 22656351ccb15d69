package dev.gradproof.network;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.apiguardian.api.API;

/**
 * A per-example loss on the network's output {@code a} (k values from {@code off}) against the target
 * {@code y}: its value, its hand-written gradient with respect to {@code a}, and its
 * {@link DerivativeStructure} form, side by side.
 */
@API(status = INTERNAL, since = "0.2")
public interface Loss {

    String name();

    double value(double[] a, int off, double[] y, int yOff, int k);

    /** dℓ/da into {@code out[outOff..outOff+k)}. */
    void gradient(double[] a, int off, double[] y, int yOff, int k, double[] out, int outOff);

    DerivativeStructure value(DerivativeStructure[] a, double[] y, int yOff);
}
