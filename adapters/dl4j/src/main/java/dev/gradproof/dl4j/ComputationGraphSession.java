package dev.gradproof.dl4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A layer graph served by a DL4J {@code ComputationGraph} ({@link GraphBuilder}, {@link Dl4jGraph}). */
final class ComputationGraphSession implements GraphServer.Session {
    private final JsonNode network;
    private final Dl4jGraph graph;
    private final Map<String, int[]> tensors;

    /** @throws IllegalArgumentException when DL4J cannot build the network exactly (the hello's refusal) */
    ComputationGraphSession(JsonNode network, Boolean miniBatchOverride) {
        this.network = network;
        boolean miniBatch = miniBatchOverride != null ? miniBatchOverride
                : network.get("loss").get("reduction").asText().equals("mean");
        this.graph = GraphBuilder.build(network, miniBatch);
        this.tensors = GraphServer.tensors(network);
        Map<String, int[]> linked = graph.tensors();
        if (!linked.keySet().equals(tensors.keySet())) {
            throw new IllegalStateException("DL4J adapter: tensors " + tensors.keySet() + " but linked " + linked.keySet());
        }
    }

    private int load(JsonNode request, Map<String, double[]> params) {
        JsonNode x = request.get("x");
        JsonNode y = request.get("y");
        if (x == null || !x.isArray() || y == null || !y.isArray() || x.size() != y.size() || x.isEmpty()) {
            throw new IllegalArgumentException("x and y must be arrays of the same number of examples");
        }
        int n = x.size();
        JsonNode input = network.get("input");
        JsonNode layers = network.get("layers");
        JsonNode last = layers.get(layers.size() - 1);
        double[] xs = GraphServer.flat(x, "x", withN(n, GraphBuilder.ints(input.get("shape"))));
        double[] ys = GraphServer.flat(y, "y", withN(n, GraphBuilder.ints(last.get("output").get("shape"))));
        Map<String, double[]> masks = new LinkedHashMap<>();
        JsonNode m = request.path("masks");
        for (JsonNode layer : layers) {
            if (layer.get("type").asText().equals("dropout")) {
                String name = layer.get("name").asText();
                masks.put(name, GraphServer.flat(m.get(name), "masks " + name,
                        withN(n, GraphBuilder.ints(layer.get("output").get("shape")))));
            }
        }
        graph.load(params, xs, ys, n, masks);
        return n;
    }

    private static int[] withN(int n, int[] shape) {
        int[] r = new int[shape.length + 1];
        r[0] = n;
        System.arraycopy(shape, 0, r, 1, shape.length);
        return r;
    }

    @Override
    public ObjectNode evaluate(JsonNode request, boolean gradient) {
        Map<String, double[]> params = GraphServer.params(request, tensors);
        load(request, params);
        ObjectNode a = GraphServer.JSON.createObjectNode().put("ok", true);
        if (!gradient) {
            return a.put("loss", graph.score());
        }
        Map<String, double[]> g = new LinkedHashMap<>();
        a.put("loss", graph.scoreAndGradient(g));
        ObjectNode out = a.putObject("gradient");
        for (Map.Entry<String, int[]> t : tensors.entrySet()) {
            GraphServer.putNested(out, t.getKey(), g.get(t.getKey()), t.getValue());
        }
        return a;
    }

    @Override
    public double[] losses(JsonNode request) {
        Map<String, double[]> params = GraphServer.params(request, tensors);
        load(request, params);
        List<Dl4jGraph.Move> moves = new ArrayList<>();
        for (JsonNode p : GraphServer.perturbations(request)) {
            String name = p.path("param").asText();
            int[] shape = tensors.get(name);
            if (shape == null) {
                throw new IllegalArgumentException("perturbation of " + name + ", which the network does not have");
            }
            moves.add(new Dl4jGraph.Move(name, GraphServer.offset(p.get("index"), shape, name), p.get("delta").asDouble()));
        }
        return graph.losses(params, moves);
    }
}
