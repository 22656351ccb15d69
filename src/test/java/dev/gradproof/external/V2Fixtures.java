package dev.gradproof.external;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gradproof.api.Batch;
import dev.gradproof.api.Coordinate;
import dev.gradproof.api.GraphDescription;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.Perturbation;
import dev.gradproof.compare.Conversions;
import dev.gradproof.compare.GraphConversions;
import dev.gradproof.network.graph.GraphData;
import dev.gradproof.network.graph.GraphFactory;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.SpecLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The protocol 2 fixtures (src/test/resources/protocol/v2) as the Java parent sees them: each fixture's
 * network written back as a spec with only what differs from the defaults (so the parent's filling in
 * of names, defaults and shapes is what is tested), built, and its data as a batch.
 */
final class V2Fixtures {
    static final Path DIR = Path.of("src/test/resources/protocol/v2");
    static final ObjectMapper JSON = new ObjectMapper();

    private V2Fixtures() {
    }

    /** A request as the parent writes it, parsed back. */
    static JsonNode parsed(Protocol.Body body) throws IOException {
        return JSON.readTree(Protocol.line(body));
    }

    /** Fails naming the first difference. */
    static void assertSameJson(JsonNode expected, JsonNode actual, String what) {
        String d = difference(expected, actual, what);
        org.junit.jupiter.api.Assertions.assertNull(d, d);
    }

    static JsonNode read(String name) throws IOException {
        return JSON.readTree(Files.readString(DIR.resolve(name + ".json")));
    }

    /** The fixtures of one network each (every one but negotiation and parent-checks). */
    static Stream<String> layerFixtures() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(p -> p.getFileName().toString().replace(".json", ""))
                    .filter(n -> !n.equals("negotiation") && !n.equals("parent-checks")).sorted().toList().stream();
        }
    }

    /** A fixture's network as the parent builds it from a spec; {@code graph} false: a dense chain as one. */
    record Built(Spec spec, GraphNetwork graph, NetworkDescription description) {
        GraphDescription wire() {
            return GraphWire.of(description);
        }
    }

    static Built build(JsonNode network, boolean graph) {
        String yaml = spec(network, graph).toString();
        Spec spec;
        try {
            spec = new SpecLoader().parse(yaml, Path.of("fixture.yaml"));
        } catch (Exception e) {
            throw new AssertionError("the fixture's network as a spec does not load: " + e.getMessage() + "\n" + yaml, e);
        }
        if (!graph) {
            if (spec.network().graph() != null) {
                throw new AssertionError("expected a dense chain: " + yaml);
            }
            return new Built(spec, null, Conversions.describe(spec));
        }
        GraphNetwork g = GraphFactory.build(spec);
        return new Built(spec, g, GraphConversions.describe(spec, g));
    }

    /** A spec (JSON is YAML) with only the options that differ from the documented defaults. */
    static ObjectNode spec(JsonNode network, boolean graph) {
        ObjectNode spec = JSON.createObjectNode();
        spec.put("name", "fixture");
        ObjectNode net = spec.putObject("network");
        JsonNode input = network.get("input");
        if (graph) {
            ObjectNode in = net.putObject("input");
            in.set("shape", input.get("shape"));
            in.put("kind", input.get("kind").asText());
        } else {
            net.put("inputs", input.get("shape").get(0).asInt());
        }
        ArrayNode layers = net.putArray("layers");
        Map<String, Integer> counts = new HashMap<>();
        Map<String, JsonNode> outputs = new HashMap<>();
        outputs.put("input", input.get("shape"));
        String previous = "input";
        for (JsonNode l : network.get("layers")) {
            ObjectNode out = layers.addObject();
            String type = l.get("type").asText();
            if (!type.equals("dense")) {
                out.put("type", type);
            }
            int count = counts.merge(type, 1, Integer::sum);
            String name = l.get("name").asText();
            if (!name.equals(type + count)) {
                out.put("name", name);
            }
            List<String> from = new ArrayList<>();
            l.get("from").forEach(f -> from.add(f.asText()));
            if (!from.equals(List.of(previous))) {
                ArrayNode f = out.putArray("from");
                from.forEach(f::add);
            }
            JsonNode inShape = outputs.get(from.get(0));
            for (Iterator<Map.Entry<String, JsonNode>> it = l.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> o = it.next();
                String key = o.getKey();
                if (List.of("name", "type", "from", "activation", "output", "parameters").contains(key)
                        || isDefault(type, key, o.getValue(), l, inShape)) {
                    continue;
                }
                out.set(key, shortest(o.getValue()));
            }
            JsonNode a = l.get("activation");
            if (!a.isNull()) {
                out.set("activation", a.size() == 1 ? a.get("name") : a);
            }
            outputs.put(name, l.get("output").get("shape"));
            previous = name;
        }
        JsonNode loss = network.get("loss");
        ObjectNode lossOut = spec.putObject("loss");
        lossOut.put("type", loss.get("type").asText());
        lossOut.put("reduction", loss.get("reduction").asText());
        if (!loss.get("steps").asText().equals("mean")) {
            lossOut.put("steps", loss.get("steps").asText());
        }
        if (loss.get("delta").asDouble() != 1.0) {
            lossOut.put("delta", loss.get("delta").asDouble());
        }
        JsonNode l2 = network.get("l2");
        if (l2.get("lambda").asDouble() != 0 || l2.get("biases").asBoolean()) {
            ObjectNode o = lossOut.putObject("l2");
            o.put("lambda", l2.get("lambda").asDouble());
            o.put("biases", l2.get("biases").asBoolean());
        }
        spec.putObject("data").put("examples", 2);
        spec.put("seed", 1);
        return spec;
    }

    private static boolean isDefault(String type, String key, JsonNode v, JsonNode layer, JsonNode inShape) {
        return switch (key) {
            case "bias", "affine" -> v.asBoolean();
            case "stride" -> type.startsWith("conv") ? all(v, 1) : v.equals(layer.get("kernel"));
            case "padding" -> all(v, 0);
            case "dilation" -> all(v, 1);
            case "eps" -> v.asDouble() == 1e-5;
            case "causal" -> !v.asBoolean();
            case "return" -> v.asText().equals("sequence");
            case "dim" -> type.equals("attention") && v.asInt() == inShape.get(inShape.size() - 1).asInt();
            case "normalized_shape" -> v.size() == 1 && v.get(0).equals(inShape.get(inShape.size() - 1));
            default -> false;
        };
    }

    private static boolean all(JsonNode list, int value) {
        for (JsonNode v : list) {
            if (v.asInt() != value) {
                return false;
            }
        }
        return true;
    }

    /** {@code [3, 3]} as {@code 3}: a spec gives a per-axis option once when the axes agree. */
    private static JsonNode shortest(JsonNode v) {
        if (v.isArray() && v.size() > 0 && v.get(0).isInt()) {
            for (JsonNode e : v) {
                if (!e.equals(v.get(0))) {
                    return v;
                }
            }
            return v.get(0);
        }
        return v;
    }

    /** A request's x, y and (with the fixture's dropout seed) the masks the parent draws itself. */
    static Batch batch(Built b, JsonNode request, long dropoutSeed) {
        double[][] x = rows(request.get("x"));
        double[][] y = rows(request.get("y"));
        if (b.graph() == null) {
            return new Batch(x, y);
        }
        double[] fx = Stream.of(x).flatMapToDouble(java.util.Arrays::stream).toArray();
        double[] fy = Stream.of(y).flatMapToDouble(java.util.Arrays::stream).toArray();
        return GraphConversions.batch(b.graph(), new GraphData(x.length, fx, fy, dropoutSeed));
    }

    /** [N, ...] as one flattened row per example. */
    static double[][] rows(JsonNode nested) {
        double[][] out = new double[nested.size()][];
        for (int n = 0; n < out.length; n++) {
            List<Double> flat = new ArrayList<>();
            flatten(nested.get(n), flat);
            out[n] = flat.stream().mapToDouble(Double::doubleValue).toArray();
        }
        return out;
    }

    private static void flatten(JsonNode n, List<Double> out) {
        if (n.isArray()) {
            n.forEach(e -> flatten(e, out));
        } else {
            out.add(n.asDouble());
        }
    }

    /** A request's perturbations, each on the named tensor of its layer. */
    static List<Perturbation> perturbations(JsonNode request, GraphDescription d) {
        List<Perturbation> out = new ArrayList<>();
        for (JsonNode p : request.get("perturbations")) {
            String tensor = p.get("param").asText();
            int layer = 0;
            for (int k = 0; k < d.layers().size(); k++) {
                if (d.layers().get(k).parameters().containsKey(tensor)) {
                    layer = k + 1;
                }
            }
            List<Integer> index = new ArrayList<>();
            p.get("index").forEach(i -> index.add(i.asInt()));
            out.add(new Perturbation(new Coordinate(layer, tensor, tensor.endsWith("bias"), index),
                    p.get("delta").asDouble()));
        }
        return out;
    }

    /**
     * The first place two JSON values differ, or null: objects by their keys (in any order), arrays in
     * order, numbers as doubles (an integer, such as a token id or a size, must stay an integer).
     */
    static String difference(JsonNode expected, JsonNode actual, String at) {
        if (expected.isNumber() && actual.isNumber()) {
            if (expected.doubleValue() != actual.doubleValue() || (expected.isIntegralNumber() && !actual.isIntegralNumber())) {
                return at + ": expected " + expected + ", got " + actual;
            }
            return null;
        }
        if (expected.isObject() && actual.isObject()) {
            for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!actual.has(k)) {
                    return at + "." + k + ": missing";
                }
                String d = difference(expected.get(k), actual.get(k), at + "." + k);
                if (d != null) {
                    return d;
                }
            }
            for (Iterator<String> it = actual.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!expected.has(k)) {
                    return at + "." + k + ": not expected, got " + actual.get(k);
                }
            }
            return null;
        }
        if (expected.isArray() && actual.isArray()) {
            if (expected.size() != actual.size()) {
                return at + ": " + expected.size() + " entries expected, got " + actual.size();
            }
            for (int i = 0; i < expected.size(); i++) {
                String d = difference(expected.get(i), actual.get(i), at + "[" + i + "]");
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        return expected.equals(actual) ? null : at + ": expected " + expected + ", got " + actual;
    }
}
