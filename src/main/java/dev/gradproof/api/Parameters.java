package dev.gradproof.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;
import static org.apiguardian.api.API.Status.STABLE;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apiguardian.api.API;

/**
 * A network's parameters, or a gradient of the same shape. For a dense chain, per layer l = 1..L a
 * weight matrix {@code W_l} of shape [out][in] and a bias vector {@code b_l} of shape [out] (null when
 * the layer has none); for a layer graph, named {@link Tensor}s ({@code conv1.weight}, {@code lstm1.bias_hh}),
 * in the order of {@link #names()}. An implementation must not modify the parameters it is given (the harness compares them
 * before and after every call and reports a change as an error: a network that updates its weights while
 * computing a gradient is not computing the gradient of the loss it was asked for); a gradient it
 * returns it builds itself, e.g. with {@link #zerosLike}.
 */
@API(status = STABLE, since = "0.2")
public final class Parameters {
    private final double[][][] weights;
    private final double[][] biases;
    private final Map<String, Tensor> tensors;

    public Parameters(double[][][] weights, double[][] biases) {
        if (weights.length != biases.length) {
            throw new IllegalArgumentException(weights.length + " weight matrices but " + biases.length + " bias vectors");
        }
        this.weights = weights;
        this.biases = biases;
        this.tensors = null;
    }

    /** A layer graph's parameters, by name, in layout order. */
    @API(status = EXPERIMENTAL, since = "0.2")
    public Parameters(Map<String, Tensor> tensors) {
        this.weights = null;
        this.biases = null;
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /** Whether these are a layer graph's named tensors (else a dense chain's matrices). */
    @API(status = EXPERIMENTAL, since = "0.2")
    public boolean isGraph() {
        return tensors != null;
    }

    /** The tensor names: {@code conv1.weight}, ... for a graph; {@code W1}, {@code b1}, ... for a dense chain. */
    @API(status = EXPERIMENTAL, since = "0.2")
    public List<String> names() {
        if (tensors != null) {
            return List.copyOf(tensors.keySet());
        }
        List<String> out = new ArrayList<>();
        for (int l = 1; l <= weights.length; l++) {
            out.add("W" + l);
            if (biases[l - 1] != null) {
                out.add("b" + l);
            }
        }
        return out;
    }

    /**
     * A layer graph's tensor by name (the live tensor: a gradient is written into it).
     *
     * @throws IllegalArgumentException naming the tensors there are, for an unknown name
     * @throws IllegalStateException    for a dense chain, whose parameters are {@link #weights} and {@link #biases}
     */
    @API(status = EXPERIMENTAL, since = "0.2")
    public Tensor tensor(String name) {
        if (tensors == null) {
            throw new IllegalStateException("a dense chain's parameters are weights(layer) and biases(layer), not tensors");
        }
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor " + name + " (there are " + tensors.keySet() + ")");
        }
        return t;
    }

    /** Number of layers of a dense chain. */
    public int layers() {
        dense();
        return weights.length;
    }

    /** W_l, l from 1; shape [out][in]. */
    public double[][] weights(int layer) {
        dense();
        return weights[layer - 1];
    }

    /** b_l, l from 1; null when layer l has no bias. */
    public double[] biases(int layer) {
        dense();
        return biases[layer - 1];
    }

    private void dense() {
        if (tensors != null) {
            throw new IllegalStateException("a layer graph's parameters are named tensors: use tensor(name), names "
                    + tensors.keySet());
        }
    }

    /** Zeros shaped like {@code like}: a place to accumulate a gradient. */
    public static Parameters zerosLike(Parameters like) {
        if (like.tensors != null) {
            Map<String, Tensor> zeros = new LinkedHashMap<>();
            like.tensors.forEach((n, t) -> zeros.put(n, Tensor.zeros(t.shape())));
            return new Parameters(zeros);
        }
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
        if (tensors != null) {
            Map<String, Tensor> copies = new LinkedHashMap<>();
            tensors.forEach((n, t) -> copies.put(n, t.copy()));
            return new Parameters(copies);
        }
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
