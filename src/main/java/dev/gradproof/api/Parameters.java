package dev.gradproof.api;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * A network's parameters, or a gradient of the same shape: per layer l = 1..L a weight matrix
 * {@code W_l} of shape [out][in] and a bias vector {@code b_l} of shape [out] (null when the layer
 * has none). An implementation must not modify the parameters it is given (the harness compares them
 * before and after every call and reports a change as an error: a network that updates its weights while
 * computing a gradient is not computing the gradient of the loss it was asked for); a gradient it
 * returns it builds itself, e.g. with {@link #zerosLike}.
 */
@API(status = STABLE, since = "0.2")
public final class Parameters {
    private final double[][][] weights;
    private final double[][] biases;

    public Parameters(double[][][] weights, double[][] biases) {
        if (weights.length != biases.length) {
            throw new IllegalArgumentException(weights.length + " weight matrices but " + biases.length + " bias vectors");
        }
        this.weights = weights;
        this.biases = biases;
    }

    /** Number of layers. */
    public int layers() {
        return weights.length;
    }

    /** W_l, l from 1; shape [out][in]. */
    public double[][] weights(int layer) {
        return weights[layer - 1];
    }

    /** b_l, l from 1; null when layer l has no bias. */
    public double[] biases(int layer) {
        return biases[layer - 1];
    }

    /** Zeros shaped like {@code like}: a place to accumulate a gradient. */
    public static Parameters zerosLike(Parameters like) {
        double[][][] w = new double[like.layers()][][];
        double[][] b = new double[like.layers()][];
        for (int l = 0; l < w.length; l++) {
            double[][] src = like.weights[l];
            w[l] = new double[src.length][src.length == 0 ? 0 : src[0].length];
            b[l] = like.biases[l] == null ? null : new double[like.biases[l].length];
        }
        return new Parameters(w, b);
    }

    public Parameters copy() {
        double[][][] w = new double[weights.length][][];
        double[][] b = new double[biases.length][];
        for (int l = 0; l < w.length; l++) {
            w[l] = new double[weights[l].length][];
            for (int i = 0; i < w[l].length; i++) {
                w[l][i] = weights[l][i].clone();
            }
            b[l] = biases[l] == null ? null : biases[l].clone();
        }
        return new Parameters(w, b);
    }
}
