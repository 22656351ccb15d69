package dev.gradproof.external;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gradproof.api.Batch;
import dev.gradproof.api.Coordinate;
import dev.gradproof.api.GraphDescription;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.Parameters;
import dev.gradproof.api.Perturbation;
import dev.gradproof.api.Tensor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The wire format of protocol version 2 (docs/PROTOCOL.md, "Version 2: layer graphs"): the normalised
 * network of {@code hello}, named tensors as nested arrays, examples shaped like the input, dropout
 * masks, and reading a gradient back with every shape and number checked. A dense chain travels in the
 * same form, its layers named {@code dense1}, {@code dense2}, ... ({@link #of}).
 */
final class GraphWire {
    static final int VERSION = 2;

    private GraphWire() {
    }

    /** The version 2 form of any network: a layer graph's own description, or a dense chain's as a graph. */
    static GraphDescription of(NetworkDescription d) {
        return d.isGraph() ? d.graph() : denseChain(d);
    }

    private static GraphDescription denseChain(NetworkDescription d) {
        List<GraphDescription.Layer> layers = new ArrayList<>();
        List<String> penalised = new ArrayList<>();
        String previous = "input";
        for (int l = 1; l <= d.layers().size(); l++) {
            NetworkDescription.Layer layer = d.layers().get(l - 1);
            String name = "dense" + l;
            Map<String, Object> options = new LinkedHashMap<>();
            options.put("units", layer.out());
            options.put("bias", layer.bias());
            Map<String, List<Integer>> parameters = new LinkedHashMap<>();
            parameters.put(name + ".weight", List.of(layer.out(), layer.in()));
            penalised.add(name + ".weight");
            if (layer.bias()) {
                parameters.put(name + ".bias", List.of(layer.out()));
                if (d.l2Biases()) {
                    penalised.add(name + ".bias");
                }
            }
            Map<String, Object> activation = switch (layer.activation()) {
                case "leaky_relu" -> Map.of("slope", layer.slope());
                case "elu" -> Map.of("alpha", layer.alpha());
                case "custom" -> Map.of("value", layer.value());
                default -> Map.of();
            };
            layers.add(new GraphDescription.Layer(name, "dense", List.of(previous), layer.activation(), options,
                    parameters, List.of(layer.out()), "features", activation));
            previous = name;
        }
        Map<String, Object> loss = new LinkedHashMap<>();
        loss.put("type", d.loss());
        loss.put("reduction", d.reduction());
        loss.put("l2", d.l2());
        loss.put("l2_biases", d.l2Biases());
        loss.put("delta", 1.0);
        loss.put("steps", "mean");
        loss.put("l2_tensors", penalised);
        return new GraphDescription(List.of(d.inputs()), "features", layers, loss);
    }

    // ---------------------------------------------------------------- writing

    /** The version 2 hello, offering versions 1 and 2. */
    static Protocol.Body hello(GraphDescription d) {
        return g -> {
            g.writeStringField("op", "hello");
            g.writeNumberField("protocol", VERSION);
            g.writeArrayFieldStart("accepts");
            g.writeNumber(Protocol.VERSION);
            g.writeNumber(VERSION);
            g.writeEndArray();
            writeNetwork(g, d);
        };
    }

    /** {@code evaluate}; {@code parameters} named or a dense chain's (renamed). */
    static Protocol.Body evaluate(GraphDescription d, Parameters parameters, Batch batch, boolean gradient,
                                  boolean inputGradient) {
        return g -> {
            g.writeStringField("op", "evaluate");
            writeTensors(g, "params", named(parameters, d), d);
            writeExamples(g, batch, d);
            writeWant(g, gradient, inputGradient);
        };
    }

    /** {@code losses}; a dense chain's perturbations renamed ({@code W2} is {@code dense2.weight}). */
    static Protocol.Body losses(GraphDescription d, Parameters parameters, Batch batch, List<Perturbation> chunk) {
        return g -> {
            g.writeStringField("op", "losses");
            writeTensors(g, "params", named(parameters, d), d);
            writeExamples(g, batch, d);
            g.writeArrayFieldStart("perturbations");
            for (Perturbation p : chunk) {
                Protocol.writePerturbation(g, named(p));
            }
            g.writeEndArray();
        };
    }

    static void writeNetwork(JsonGenerator g, GraphDescription d) throws IOException {
        g.writeObjectFieldStart("network");
        g.writeObjectFieldStart("input");
        g.writeStringField("kind", d.inputKind());
        writeInts(g, "shape", d.input());
        if (tokens(d)) {
            g.writeNumberField("vocabulary", vocabulary(d));
        }
        g.writeEndObject();
        g.writeArrayFieldStart("layers");
        for (GraphDescription.Layer l : d.layers()) {
            writeLayer(g, l);
        }
        g.writeEndArray();
        Map<String, Object> loss = d.loss();
        g.writeObjectFieldStart("loss");
        g.writeStringField("type", (String) loss.get("type"));
        g.writeStringField("reduction", (String) loss.get("reduction"));
        g.writeStringField("steps", String.valueOf(loss.getOrDefault("steps", "mean")));
        g.writeNumberField("delta", ((Number) loss.getOrDefault("delta", 1.0)).doubleValue());
        g.writeEndObject();
        g.writeObjectFieldStart("l2");
        g.writeNumberField("lambda", ((Number) loss.getOrDefault("l2", 0.0)).doubleValue());
        g.writeBooleanField("biases", Boolean.TRUE.equals(loss.get("l2_biases")));
        g.writeArrayFieldStart("tensors");
        for (Object t : (List<?>) loss.getOrDefault("l2_tensors", List.of())) {
            g.writeString(t.toString());
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeLayer(JsonGenerator g, GraphDescription.Layer l) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", l.name());
        g.writeStringField("type", l.type());
        g.writeArrayFieldStart("from");
        for (String f : l.from()) {
            g.writeString(f);
        }
        g.writeEndArray();
        for (Map.Entry<String, Object> o : l.options().entrySet()) {
            g.writeFieldName(o.getKey());
            writeValue(g, o.getValue());
        }
        if (l.activation() == null || l.activation().equals("identity")) {
            g.writeNullField("activation");
        } else {
            g.writeObjectFieldStart("activation");
            g.writeStringField("name", l.activation());
            for (Map.Entry<String, Object> o : l.activationOptions().entrySet()) {
                g.writeFieldName(o.getKey());
                writeValue(g, o.getValue());
            }
            g.writeEndObject();
        }
        g.writeObjectFieldStart("output");
        g.writeStringField("kind", l.outputKind());
        writeInts(g, "shape", l.output());
        g.writeEndObject();
        g.writeObjectFieldStart("parameters");
        for (Map.Entry<String, List<Integer>> p : l.parameters().entrySet()) {
            writeInts(g, p.getKey(), p.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    /** An option's value: a number (whole numbers as integers), a boolean, a string, or a list of them. */
    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Integer || v instanceof Long) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Number n) {
            g.writeNumber(n.doubleValue());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof List<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                writeValue(g, o);
            }
            g.writeEndArray();
        } else {
            g.writeString(v.toString());
        }
    }

    private static void writeInts(JsonGenerator g, String field, List<Integer> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (int v : values) {
            g.writeNumber(v);
        }
        g.writeEndArray();
    }

    static boolean tokens(GraphDescription d) {
        return d.inputKind().equals("tokens");
    }

    /** The smallest vocabulary of the embeddings that read the input: every id is below it. */
    private static int vocabulary(GraphDescription d) {
        int v = Integer.MAX_VALUE;
        for (GraphDescription.Layer l : d.layers()) {
            if (l.type().equals("embedding") && l.from().contains("input")) {
                v = Math.min(v, ((Number) l.options().get("vocabulary")).intValue());
            }
        }
        return v;
    }

    /** Every tensor by its full name in layout order, as nested arrays of its shape. */
    static void writeTensors(JsonGenerator g, String field, Parameters named, GraphDescription d) throws IOException {
        g.writeObjectFieldStart(field);
        for (GraphDescription.Layer l : d.layers()) {
            for (String name : l.parameters().keySet()) {
                Tensor t = named.tensor(name);
                writeNested(g, name, field + " " + name, t.shape(), t.data(), false);
            }
        }
        g.writeEndObject();
    }

    /** {@code x}, {@code y} and {@code masks}, shaped [N, ...one example's shape]. */
    static void writeExamples(JsonGenerator g, Batch batch, GraphDescription d) throws IOException {
        writeRows(g, "x", batch.x(), d.input(), tokens(d));
        writeRows(g, "y", batch.y(), last(d).output(), false);
        g.writeObjectFieldStart("masks");
        for (GraphDescription.Layer l : d.layers()) {
            if (l.type().equals("dropout")) {
                double[][] m = batch.masks().get(l.name());
                if (m == null) {
                    throw new Protocol.Violation("masks has no " + l.name() + " (the batch has no masks of the"
                            + " network's dropout layers)");
                }
                writeRows(g, l.name(), m, l.output(), false);
            }
        }
        g.writeEndObject();
    }

    private static void writeRows(JsonGenerator g, String field, double[][] rows, List<Integer> shape, boolean ints)
            throws IOException {
        int[] dims = new int[shape.size() + 1];
        dims[0] = rows.length;
        for (int a = 0; a < shape.size(); a++) {
            dims[a + 1] = shape.get(a);
        }
        int size = 1;
        for (int a = 1; a < dims.length; a++) {
            size *= dims[a];
        }
        double[] flat = new double[rows.length * size];
        for (int n = 0; n < rows.length; n++) {
            if (rows[n].length != size) {
                throw new Protocol.Violation(field + "[" + n + "] has " + rows[n].length + " values, expected " + size);
            }
            System.arraycopy(rows[n], 0, flat, n * size, size);
        }
        writeNested(g, field, field, dims, flat, ints);
    }

    private static void writeNested(JsonGenerator g, String field, String what, int[] shape, double[] flat,
                                    boolean ints) throws IOException {
        g.writeFieldName(field);
        writeNested(g, what, shape, 0, flat, new int[] {0}, ints);
    }

    private static void writeNested(JsonGenerator g, String what, int[] shape, int axis, double[] flat, int[] at,
                                    boolean ints) throws IOException {
        if (axis == shape.length) {
            double v = flat[at[0]];
            if (!Double.isFinite(v)) {
                throw new Protocol.Violation(what + " holds " + v + ", which JSON cannot carry");
            }
            if (ints) {
                g.writeNumber((long) v);
            } else {
                g.writeNumber(v);
            }
            at[0]++;
            return;
        }
        g.writeStartArray();
        for (int i = 0; i < shape[axis]; i++) {
            writeNested(g, what, shape, axis + 1, flat, at, ints);
        }
        g.writeEndArray();
    }

    static void writeWant(JsonGenerator g, boolean gradient, boolean inputGradient) throws IOException {
        g.writeArrayFieldStart("want");
        g.writeString("loss");
        if (gradient) {
            g.writeString("gradient");
        }
        if (inputGradient) {
            g.writeString("input_gradient");
        }
        g.writeEndArray();
    }

    static GraphDescription.Layer last(GraphDescription d) {
        return d.layers().get(d.layers().size() - 1);
    }

    // ---------------------------------------------------------------- names

    /** A dense chain's parameters ({@code W1}, {@code b1}) under their version 2 names ({@code dense1.weight}). */
    static Parameters named(Parameters p, GraphDescription d) {
        if (p.isGraph()) {
            return p;
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int l = 1; l <= p.layers(); l++) {
            double[][] w = p.weights(l);
            int cols = w.length == 0 ? 0 : w[0].length;
            double[] flat = new double[w.length * cols];
            for (int i = 0; i < w.length; i++) {
                System.arraycopy(w[i], 0, flat, i * cols, cols);
            }
            out.put("dense" + l + ".weight", new Tensor(new int[] {w.length, cols}, flat));
            if (p.biases(l) != null) {
                out.put("dense" + l + ".bias", new Tensor(new int[] {p.biases(l).length}, p.biases(l).clone()));
            }
        }
        return new Parameters(out);
    }

    /** Named tensors of a dense chain back in the form {@code like} has ({@code W1}, {@code b1} for a dense chain). */
    static Parameters like(Parameters named, Parameters like) {
        if (like.isGraph()) {
            return named;
        }
        int layers = like.layers();
        double[][][] w = new double[layers][][];
        double[][] b = new double[layers][];
        for (int l = 1; l <= layers; l++) {
            Tensor t = named.tensor("dense" + l + ".weight");
            int[] shape = t.shape();
            w[l - 1] = new double[shape[0]][shape[1]];
            for (int i = 0; i < shape[0]; i++) {
                System.arraycopy(t.data(), i * shape[1], w[l - 1][i], 0, shape[1]);
            }
            if (like.biases(l) != null) {
                b[l - 1] = named.tensor("dense" + l + ".bias").data().clone();
            }
        }
        return new Parameters(w, b);
    }

    /** A perturbation of a dense chain's {@code W2[3,7]} as {@code dense2.weight[3,7]}; a graph's as it is. */
    static Perturbation named(Perturbation p) {
        Coordinate c = p.parameter();
        if (c.tensor().contains(".")) {
            return p;
        }
        String name = "dense" + c.layer() + (c.bias() ? ".bias" : ".weight");
        return new Perturbation(new Coordinate(c.layer(), name, c.bias(), c.index()), p.delta());
    }

    // ---------------------------------------------------------------- reading

    /** Every tensor of the network by name, each of its shape; a missing, extra or misshapen one is named. */
    static Parameters tensors(JsonNode n, String what, GraphDescription d) {
        Protocol.object(n, what);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (GraphDescription.Layer l : d.layers()) {
            for (Map.Entry<String, List<Integer>> p : l.parameters().entrySet()) {
                int[] shape = p.getValue().stream().mapToInt(Integer::intValue).toArray();
                out.put(p.getKey(), new Tensor(shape, nested(n.get(p.getKey()), what + " " + p.getKey(), shape)));
            }
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!out.containsKey(key)) {
                throw new Protocol.Violation(what + " has " + key + ", which the network does not have");
            }
        }
        return new Parameters(out);
    }

    /** dL/dx, shaped like {@code x} ([N, ...input]), one flattened row per example. */
    static double[][] inputGradient(JsonNode n, GraphDescription d, int examples) {
        int[] shape = new int[d.input().size() + 1];
        shape[0] = examples;
        for (int a = 0; a < d.input().size(); a++) {
            shape[a + 1] = d.input().get(a);
        }
        double[] flat = nested(n, "input_gradient", shape);
        int size = examples == 0 ? 0 : flat.length / examples;
        double[][] rows = new double[examples][];
        for (int e = 0; e < examples; e++) {
            rows[e] = java.util.Arrays.copyOfRange(flat, e * size, (e + 1) * size);
        }
        return rows;
    }

    /**
     * A nested array of the shape, flattened row-major; a wrong length, a number where an array belongs
     * or the reverse is named by its position: {@code gradient conv1.weight[1,0] has 3 entries, expected 2
     * (shape [2, 1, 2, 2])}.
     */
    static double[] nested(JsonNode n, String what, int[] shape) {
        String shown = shape(shape);
        if (n == null || n.isMissingNode()) {
            throw new Protocol.Violation(what + " is missing (shape " + shown + ")");
        }
        int size = 1;
        for (int s : shape) {
            size *= s;
        }
        double[] out = new double[size];
        fill(n, what, shape, 0, new ArrayList<>(), out, new int[] {0}, shown);
        return out;
    }

    private static void fill(JsonNode n, String what, int[] shape, int axis, List<Integer> at, double[] out, int[] next,
                             String shown) {
        String here = what + index(at);
        if (axis == shape.length) {
            if (n.isArray()) {
                throw new Protocol.Violation(here + " is " + Protocol.show(n) + ", expected a number");
            }
            out[next[0]++] = Protocol.number(n, here);
            return;
        }
        if (!n.isArray()) {
            throw new Protocol.Violation(here + " is " + Protocol.show(n) + ", expected an array (shape " + shown + ")");
        }
        if (n.size() != shape[axis]) {
            throw new Protocol.Violation(here + " has " + n.size() + " entries, expected " + shape[axis] + " (shape "
                    + shown + ")");
        }
        for (int i = 0; i < shape[axis]; i++) {
            at.add(i);
            fill(n.get(i), what, shape, axis + 1, at, out, next, shown);
            at.remove(at.size() - 1);
        }
    }

    private static String index(List<Integer> at) {
        if (at.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < at.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(at.get(i));
        }
        return sb.append(']').toString();
    }

    static String shape(int[] shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(']').toString();
    }
}
