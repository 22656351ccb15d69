package dev.gradproof.api;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.List;

import org.apiguardian.api.API;

/**
 * What an implementation under test must build: the same network the spec describes. Mirrors the
 * {@code network} object of the process protocol's {@code hello} (docs/PROTOCOL.md).
 *
 * @param inputs    input features
 * @param layers    dense layers, input side first
 * @param loss      {@code squared_error}, {@code mse}, {@code binary_cross_entropy} or {@code softmax_cross_entropy}
 * @param reduction {@code mean} or {@code sum} over examples
 * @param l2        λ of the penalty λ/(2m)·ΣW² (m = examples under mean, 1 under sum)
 * @param l2Biases  whether biases are penalised too
 * @param graph     for a layer graph its description, and then {@code layers} is empty; null for a dense chain
 */
@API(status = STABLE, since = "0.2")
public record NetworkDescription(int inputs, List<Layer> layers, String loss, String reduction, double l2,
                                 boolean l2Biases, GraphDescription graph) {

    public NetworkDescription {
        layers = List.copyOf(layers);
    }

    /** A dense chain. */
    public NetworkDescription(int inputs, List<Layer> layers, String loss, String reduction, double l2, boolean l2Biases) {
        this(inputs, layers, loss, reduction, l2, l2Biases, null);
    }

    /** Whether it is a layer graph (parameters are then named tensors: {@link Parameters#tensor}). */
    public boolean isGraph() {
        return graph != null;
    }

    /**
     * @param in         fan-in
     * @param out        units
     * @param activation name, e.g. {@code tanh}, {@code leaky_relu}; for {@code custom}, see {@code value}
     * @param slope      leaky_relu slope
     * @param alpha      elu alpha
     * @param value      custom activation's expression in x, else null
     * @param bias       whether the layer has a bias
     */
    public record Layer(int in, int out, String activation, double slope, double alpha, String value, boolean bias) {
    }

    public int outputs() {
        if (graph != null) {
            int size = 1;
            for (int d : graph.layers().get(graph.layers().size() - 1).output()) {
                size *= d;
            }
            return size;
        }
        return layers.get(layers.size() - 1).out();
    }
}
