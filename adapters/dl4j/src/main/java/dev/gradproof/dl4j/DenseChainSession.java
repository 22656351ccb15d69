package dev.gradproof.dl4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gradproof.api.Batch;
import dev.gradproof.api.Coordinate;
import dev.gradproof.api.Evaluation;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.Parameters;
import dev.gradproof.api.Perturbation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A dense chain (docs/PROTOCOL.md, "Negotiation": what version 1 can carry) served by {@link Dl4jNetwork}
 * as in version 1, a {@code MultiLayerNetwork}, so every convention docs/DL4J.md found on the dense specs
 * holds unchanged; only the names differ ({@code dense2.weight} is version 1's W2, same layout).
 */
final class DenseChainSession implements GraphServer.Session {
    private static final Set<String> V1_ACTIVATIONS = Set.of("identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu",
            "softplus", "custom", "softmax");
    private static final Set<String> V1_LOSSES = Set.of("squared_error", "mse", "binary_cross_entropy",
            "softmax_cross_entropy");

    private final NetworkDescription description;
    private final List<String> names = new ArrayList<>();
    private final Dl4jNetwork impl;

    /** @throws IllegalArgumentException when DL4J cannot build it (a custom activation: the hello's refusal) */
    DenseChainSession(JsonNode network, Boolean miniBatchOverride) {
        List<NetworkDescription.Layer> layers = new ArrayList<>();
        int in = network.get("input").get("shape").get(0).asInt();
        int inputs = in;
        for (JsonNode l : network.get("layers")) {
            JsonNode a = l.get("activation");
            String act = a.isNull() ? "identity" : a.get("name").asText();
            int out = l.get("units").asInt();
            layers.add(new NetworkDescription.Layer(in, out, act, a.path("slope").asDouble(0), a.path("alpha").asDouble(1),
                    a.path("value").asText(null), l.get("bias").asBoolean()));
            names.add(l.get("name").asText());
            in = out;
        }
        JsonNode loss = network.get("loss");
        JsonNode l2 = network.get("l2");
        description = new NetworkDescription(inputs, layers, loss.get("type").asText(), loss.get("reduction").asText(),
                l2.get("lambda").asDouble(), l2.get("biases").asBoolean());
        impl = new Dl4jNetwork(miniBatchOverride);
        boolean miniBatch = miniBatchOverride != null ? miniBatchOverride : description.reduction().equals("mean");
        Dl4jNetwork.build(description, 1, miniBatch);
    }

    /** Whether version 1 could carry it (docs/PROTOCOL.md, "Negotiation"). */
    static boolean isDenseChain(JsonNode network) {
        if (!network.get("input").get("kind").asText().equals("features")
                || !V1_LOSSES.contains(network.get("loss").get("type").asText())) {
            return false;
        }
        JsonNode layers = network.get("layers");
        String previous = "input";
        for (int i = 0; i < layers.size(); i++) {
            JsonNode l = layers.get(i);
            JsonNode from = l.get("from");
            JsonNode a = l.get("activation");
            String act = a.isNull() ? "identity" : a.get("name").asText();
            if (!l.get("type").asText().equals("dense") || from.size() != 1 || !from.get(0).asText().equals(previous)
                    || !V1_ACTIVATIONS.contains(act) || act.equals("softmax") && i != layers.size() - 1) {
                return false;
            }
            previous = l.get("name").asText();
        }
        return true;
    }

    private Parameters parameters(JsonNode request) {
        JsonNode p = request.get("params");
        if (p == null || !p.isObject()) {
            throw new IllegalArgumentException("params is missing");
        }
        int n = names.size();
        double[][][] w = new double[n][][];
        double[][] b = new double[n][];
        for (int l = 0; l < n; l++) {
            NetworkDescription.Layer layer = description.layers().get(l);
            String name = names.get(l);
            w[l] = rows(GraphServer.flat(p.get(name + ".weight"), "params " + name + ".weight",
                    new int[] {layer.out(), layer.in()}), layer.out(), layer.in());
            if (layer.bias()) {
                b[l] = GraphServer.flat(p.get(name + ".bias"), "params " + name + ".bias", new int[] {layer.out()});
            }
        }
        return new Parameters(w, b);
    }

    private Batch batch(JsonNode request) {
        JsonNode x = request.get("x");
        JsonNode y = request.get("y");
        if (x == null || !x.isArray() || y == null || !y.isArray() || x.size() != y.size() || x.isEmpty()) {
            throw new IllegalArgumentException("x and y must be arrays of the same number of examples");
        }
        int n = x.size();
        int f = description.inputs();
        int k = description.layers().get(description.layers().size() - 1).out();
        return new Batch(rows(GraphServer.flat(x, "x", new int[] {n, f}), n, f),
                rows(GraphServer.flat(y, "y", new int[] {n, k}), n, k));
    }

    private static double[][] rows(double[] flat, int rows, int cols) {
        double[][] r = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, i * cols, r[i], 0, cols);
        }
        return r;
    }

    @Override
    public ObjectNode evaluate(JsonNode request, boolean gradient) {
        Parameters p = parameters(request);
        Batch batch = batch(request);
        ObjectNode a = GraphServer.JSON.createObjectNode().put("ok", true);
        if (!gradient) {
            return a.put("loss", impl.loss(description, p, batch));
        }
        Evaluation e = impl.evaluate(description, p, batch);
        a.put("loss", e.loss());
        ObjectNode g = a.putObject("gradient");
        for (int l = 0; l < names.size(); l++) {
            NetworkDescription.Layer layer = description.layers().get(l);
            double[][] w = e.gradient().weights(l + 1);
            double[] flat = new double[layer.out() * layer.in()];
            for (int i = 0; i < layer.out(); i++) {
                System.arraycopy(w[i], 0, flat, i * layer.in(), layer.in());
            }
            GraphServer.putNested(g, names.get(l) + ".weight", flat, new int[] {layer.out(), layer.in()});
            if (layer.bias()) {
                GraphServer.putNested(g, names.get(l) + ".bias", e.gradient().biases(l + 1), new int[] {layer.out()});
            }
        }
        return a;
    }

    @Override
    public double[] losses(JsonNode request) {
        Parameters p = parameters(request);
        Batch batch = batch(request);
        List<Perturbation> moves = new ArrayList<>();
        for (JsonNode q : GraphServer.perturbations(request)) {
            String name = q.path("param").asText();
            int l = names.indexOf(name.substring(0, Math.max(0, name.lastIndexOf('.'))));
            if (l < 0 || !(name.endsWith(".weight") || name.endsWith(".bias") && description.layers().get(l).bias())) {
                throw new IllegalArgumentException("perturbation of " + name + ", which the network does not have");
            }
            NetworkDescription.Layer layer = description.layers().get(l);
            boolean bias = name.endsWith(".bias");
            int[] shape = bias ? new int[] {layer.out()} : new int[] {layer.out(), layer.in()};
            int off = GraphServer.offset(q.get("index"), shape, name);
            Coordinate c = bias ? Coordinate.bias(l + 1, off) : Coordinate.weight(l + 1, off / layer.in(), off % layer.in());
            moves.add(new Perturbation(c, q.get("delta").asDouble()));
        }
        return impl.losses(description, p, batch, moves);
    }
}
