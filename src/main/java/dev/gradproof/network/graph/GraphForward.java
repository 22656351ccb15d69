package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * Everything a graph's forward pass leaves behind, per layer (0-based node index): the layer's output
 * before its activation {@code z} and after it {@code a} (the same array without an activation), what
 * its backward pass needs ({@code saved}), and the per-example losses and total loss.
 */
@API(status = INTERNAL, since = "0.2")
public final class GraphForward {
    public final double[][] z;
    public final double[][] a;
    public final Object[] saved;
    public final double[] exampleLoss;
    public final double loss;

    GraphForward(double[][] z, double[][] a, Object[] saved, double[] exampleLoss, double loss) {
        this.z = z;
        this.a = a;
        this.saved = saved;
        this.exampleLoss = exampleLoss;
        this.loss = loss;
    }

    /** The last layer's output. */
    public double[] output() {
        return a[a.length - 1];
    }
}
