package dev.gradproof.network;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * Everything a forward pass leaves behind: per layer l (1-based, as in the derivation) the
 * pre-activations {@code z[l]} and activations {@code a[l]}, each N×width row-major; {@code a[0]} is
 * the input. Per-example losses are kept so a perturbed loss can be formed as a sum of differences.
 */
@API(status = INTERNAL, since = "0.2")
public final class Forward {
    public final double[][] z;
    public final double[][] a;
    public final double[] exampleLoss;
    public final double loss;

    Forward(double[][] z, double[][] a, double[] exampleLoss, double loss) {
        this.z = z;
        this.a = a;
        this.exampleLoss = exampleLoss;
        this.loss = loss;
    }
}
