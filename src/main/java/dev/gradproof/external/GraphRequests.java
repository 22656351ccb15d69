package dev.gradproof.external;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gradproof.api.Batch;
import dev.gradproof.api.Coordinate;
import dev.gradproof.api.GraphDescription;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.Perturbation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The child's side of version 2 (docs/PROTOCOL.md, "Version 2: layer graphs"): a request read back into
 * the API's types, the inverse of what {@link GraphWire} writes, so {@link ProtocolServer} can serve a
 * Java {@code NetworkUnderTest} a layer graph exactly as the in-process check hands it one.
 */
final class GraphRequests {
    /** A layer's fields that are not its type's options. */
    private static final Set<String> LAYER_FIELDS = Set.of("name", "type", "from", "activation", "output", "parameters");

    private GraphRequests() {
    }

    /** hello's {@code network}, as the API describes a layer graph. */
    static NetworkDescription network(JsonNode n) {
        Protocol.object(n, "network");
        JsonNode input = Protocol.object(n.get("input"), "network.input");
        List<Integer> shape = ints(input.get("shape"), "network.input.shape");
        String kind = Protocol.text(input.get("kind"), "network.input.kind");
        List<GraphDescription.Layer> layers = new ArrayList<>();
        JsonNode list = Protocol.array(n.get("layers"), "network.layers");
        for (int k = 0; k < list.size(); k++) {
            layers.add(layer(Protocol.object(list.get(k), "network.layers[" + k + "]"), "network.layers[" + k + "]"));
        }
        if (layers.isEmpty()) {
            throw new Protocol.Violation("network.layers is empty");
        }
        JsonNode loss = Protocol.object(n.get("loss"), "network.loss");
        JsonNode l2 = Protocol.object(n.get("l2"), "network.l2");
        Map<String, Object> lossMap = new LinkedHashMap<>();
        String type = Protocol.text(loss.get("type"), "network.loss.type");
        String reduction = Protocol.text(loss.get("reduction"), "network.loss.reduction");
        double lambda = Protocol.number(l2.get("lambda"), "network.l2.lambda");
        boolean biases = bool(l2.get("biases"), "network.l2.biases");
        lossMap.put("type", type);
        lossMap.put("reduction", reduction);
        lossMap.put("l2", lambda);
        lossMap.put("l2_biases", biases);
        lossMap.put("delta", Protocol.number(loss.get("delta"), "network.loss.delta"));
        lossMap.put("steps", Protocol.text(loss.get("steps"), "network.loss.steps"));
        List<String> penalised = new ArrayList<>();
        Protocol.array(l2.get("tensors"), "network.l2.tensors")
                .forEach(t -> penalised.add(Protocol.text(t, "network.l2.tensors[]")));
        lossMap.put("l2_tensors", penalised);
        GraphDescription d = new GraphDescription(shape, kind, layers, lossMap);
        return new NetworkDescription(shape.stream().reduce(1, (a, b) -> a * b), List.of(), type, reduction, lambda,
                biases, d);
    }

    private static GraphDescription.Layer layer(JsonNode l, String at) {
        String name = Protocol.text(l.get("name"), at + ".name");
        String type = Protocol.text(l.get("type"), at + ".type");
        List<String> from = new ArrayList<>();
        Protocol.array(l.get("from"), at + ".from").forEach(f -> from.add(Protocol.text(f, at + ".from[]")));
        String activation = null;
        Map<String, Object> activationOptions = new LinkedHashMap<>();
        JsonNode a = l.get("activation");
        if (a != null && !a.isNull()) {
            Protocol.object(a, at + ".activation");
            activation = Protocol.text(a.get("name"), at + ".activation.name");
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().equals("name")) {
                    activationOptions.put(e.getKey(), value(e.getValue()));
                }
            }
        }
        JsonNode output = Protocol.object(l.get("output"), at + ".output");
        Map<String, List<Integer>> parameters = new LinkedHashMap<>();
        JsonNode ps = Protocol.object(l.get("parameters"), at + ".parameters");
        for (Iterator<Map.Entry<String, JsonNode>> it = ps.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            parameters.put(e.getKey(), ints(e.getValue(), at + ".parameters." + e.getKey()));
        }
        Map<String, Object> options = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = l.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!LAYER_FIELDS.contains(e.getKey())) {
                options.put(e.getKey(), value(e.getValue()));
            }
        }
        return new GraphDescription.Layer(name, type, from, activation, options, parameters,
                ints(output.get("shape"), at + ".output.shape"), Protocol.text(output.get("kind"), at + ".output.kind"),
                activationOptions);
    }

    /** An option as GraphWire wrote it: whole numbers as Integer, others as Double, lists as lists. */
    private static Object value(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber()) {
            return v.intValue();
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isArray()) {
            List<Object> out = new ArrayList<>();
            v.forEach(x -> out.add(value(x)));
            return out;
        }
        return v.asText();
    }

    private static List<Integer> ints(JsonNode n, String what) {
        Protocol.array(n, what);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            out.add(Protocol.count(n.get(i), what + "[" + i + "]"));
        }
        return out;
    }

    private static boolean bool(JsonNode n, String what) {
        if (n == null || !n.isBoolean()) {
            throw new Protocol.Violation(what + " is " + (n == null ? "missing" : Protocol.show(n)) + ", expected true or false");
        }
        return n.booleanValue();
    }

    /** {@code x}, {@code y} and {@code masks}, each [N, ...one example's shape], as one flat row per example. */
    static Batch batch(JsonNode request, GraphDescription d) {
        JsonNode x = Protocol.array(request.get("x"), "x");
        int n = x.size();
        double[][] xs = rows(x, "x", n, d.input());
        double[][] ys = rows(request.get("y"), "y", n, GraphWire.last(d).output());
        Map<String, double[][]> masks = new LinkedHashMap<>();
        JsonNode m = request.get("masks");
        for (GraphDescription.Layer l : d.layers()) {
            if (l.type().equals("dropout")) {
                JsonNode mask = m == null ? null : m.get(l.name());
                masks.put(l.name(), rows(mask, "masks " + l.name(), n, l.output()));
            }
        }
        return new Batch(xs, ys, masks);
    }

    private static double[][] rows(JsonNode n, String what, int examples, List<Integer> shape) {
        int[] dims = new int[shape.size() + 1];
        dims[0] = examples;
        for (int a = 0; a < shape.size(); a++) {
            dims[a + 1] = shape.get(a);
        }
        double[] flat = GraphWire.nested(n, what, dims);
        int size = examples == 0 ? 0 : flat.length / examples;
        double[][] out = new double[examples][];
        for (int e = 0; e < examples; e++) {
            out[e] = Arrays.copyOfRange(flat, e * size, (e + 1) * size);
        }
        return out;
    }

    /** {@code {"param": "conv1.weight", "index": [3, 0, 1, 2], "delta": d}}, each checked against its tensor. */
    static List<Perturbation> perturbations(JsonNode n, GraphDescription d) {
        Protocol.array(n, "perturbations");
        List<Perturbation> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            String at = "perturbations[" + i + "]";
            JsonNode p = Protocol.object(n.get(i), at);
            String param = Protocol.text(p.get("param"), at + ".param");
            int layer = 0;
            List<Integer> shape = null;
            for (int k = 0; k < d.layers().size() && shape == null; k++) {
                shape = d.layers().get(k).parameters().get(param);
                layer = k + 1;
            }
            if (shape == null) {
                throw new Protocol.Violation(at + ".param is \"" + param + "\", which the network does not have");
            }
            List<Integer> index = ints(p.get("index"), at + ".index");
            if (index.size() != shape.size()) {
                throw new Protocol.Violation(at + ".index has " + index.size() + " entries, expected " + shape.size()
                        + " (shape " + shape + ")");
            }
            for (int a = 0; a < shape.size(); a++) {
                if (index.get(a) >= shape.get(a)) {
                    throw new Protocol.Violation(at + ".index is " + index + ", outside " + param + "'s shape " + shape);
                }
            }
            boolean bias = param.substring(param.indexOf('.') + 1).startsWith("bias");
            out.add(new Perturbation(new Coordinate(layer, param, bias, index), Protocol.number(p.get("delta"), at + ".delta")));
        }
        return out;
    }
}
