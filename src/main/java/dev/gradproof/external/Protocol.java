package dev.gradproof.external;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gradproof.api.Batch;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.Parameters;
import dev.gradproof.api.Coordinate;
import dev.gradproof.api.Perturbation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The wire format of protocol version 1 (docs/PROTOCOL.md), shared by both ends: writing requests
 * and answers, and reading them back with every shape and number checked. Reading failures are
 * {@link Violation}s whose message names the field, e.g. {@code gradient W2 has 3 rows, expected 4
 * ([out][in] = [4][3])}; each end adds its own prefix.
 */
final class Protocol {
    static final int VERSION = 1;

    /** Standard JSON: NaN and Infinity are rejected, as they are not JSON numbers. */
    static final ObjectMapper STRICT = JsonMapper.builder().build();
    /** Accepts NaN and Infinity, only to name the field a non-JSON answer put them in. */
    static final ObjectMapper LENIENT = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    private static final JsonFactory FACTORY = new JsonFactory();

    private Protocol() {
    }

    /** A message that breaks the protocol; the text names the offending field. */
    static final class Violation extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Violation(String message) {
            super(message, null, false, false);
        }
    }

    // ---------------------------------------------------------------- writing

    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /** One JSON object as a line (UTF-8, ending in '\n'). */
    static byte[] line(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(bytes)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        bytes.write('\n');
        return bytes.toByteArray();
    }

    static void writeNetwork(JsonGenerator g, NetworkDescription d) throws IOException {
        g.writeObjectFieldStart("network");
        g.writeNumberField("inputs", d.inputs());
        g.writeArrayFieldStart("layers");
        for (NetworkDescription.Layer l : d.layers()) {
            g.writeStartObject();
            g.writeNumberField("in", l.in());
            g.writeNumberField("out", l.out());
            g.writeStringField("activation", l.activation());
            g.writeBooleanField("bias", l.bias());
            switch (l.activation()) {
                case "leaky_relu" -> g.writeNumberField("slope", l.slope());
                case "elu" -> g.writeNumberField("alpha", l.alpha());
                case "custom" -> g.writeStringField("value", l.value());
                default -> {
                }
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeObjectFieldStart("loss");
        g.writeStringField("type", d.loss());
        g.writeStringField("reduction", d.reduction());
        g.writeEndObject();
        g.writeObjectFieldStart("l2");
        g.writeNumberField("lambda", d.l2());
        g.writeBooleanField("biases", d.l2Biases());
        g.writeEndObject();
        g.writeEndObject();
    }

    /** {@code "W1":[[..]],"b1":[..],...} inside the current object, under {@code field}. */
    static void writeParameters(JsonGenerator g, String field, Parameters p) throws IOException {
        g.writeObjectFieldStart(field);
        for (int l = 1; l <= p.layers(); l++) {
            writeMatrix(g, "W" + l, field + " W" + l, p.weights(l));
            if (p.biases(l) != null) {
                writeVector(g, "b" + l, field + " b" + l, p.biases(l));
            }
        }
        g.writeEndObject();
    }

    static void writeMatrix(JsonGenerator g, String field, String what, double[][] m) throws IOException {
        g.writeArrayFieldStart(field);
        for (int i = 0; i < m.length; i++) {
            g.writeStartArray();
            for (int j = 0; j < m[i].length; j++) {
                g.writeNumber(finite(m[i][j], what + "[" + i + "," + j + "]"));
            }
            g.writeEndArray();
        }
        g.writeEndArray();
    }

    static void writeVector(JsonGenerator g, String field, String what, double[] v) throws IOException {
        g.writeArrayFieldStart(field);
        for (int i = 0; i < v.length; i++) {
            g.writeNumber(finite(v[i], what + "[" + i + "]"));
        }
        g.writeEndArray();
    }

    static void writePerturbation(JsonGenerator g, Perturbation p) throws IOException {
        g.writeStartObject();
        g.writeStringField("param", p.parameter().tensor());
        g.writeArrayFieldStart("index");
        for (int i : p.parameter().index()) {
            g.writeNumber(i);
        }
        g.writeEndArray();
        g.writeNumberField("delta", finite(p.delta(), "delta of " + p.parameter()));
        g.writeEndObject();
    }

    private static double finite(double v, String what) {
        if (!Double.isFinite(v)) {
            throw new Violation(what + " is " + v + ", which JSON cannot carry");
        }
        return v;
    }

    // ---------------------------------------------------------------- reading

    /** The field's value, for messages: {@code null}, {@code "abc"}, {@code [1,2]}, at most 60 characters. */
    static String show(JsonNode n) {
        return quote(n.toString(), 60);
    }

    static String quote(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }

    static double number(JsonNode n, String what) {
        if (n == null || n.isMissingNode()) {
            throw new Violation(what + " is missing");
        }
        if (!n.isNumber()) {
            throw new Violation(what + " is " + show(n) + ", expected a number");
        }
        double v = n.doubleValue();
        if (!Double.isFinite(v)) {
            throw new Violation(what + " is " + v);
        }
        return v;
    }

    static int count(JsonNode n, String what) {
        if (n == null || n.isMissingNode()) {
            throw new Violation(what + " is missing");
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.intValue() < 0) {
            throw new Violation(what + " is " + show(n) + ", expected a whole number >= 0");
        }
        return n.intValue();
    }

    static String text(JsonNode n, String what) {
        if (n == null || n.isMissingNode()) {
            throw new Violation(what + " is missing");
        }
        if (!n.isTextual()) {
            throw new Violation(what + " is " + show(n) + ", expected a string");
        }
        return n.textValue();
    }

    static boolean bool(JsonNode n, String what, boolean absent) {
        if (n == null || n.isMissingNode()) {
            return absent;
        }
        if (!n.isBoolean()) {
            throw new Violation(what + " is " + show(n) + ", expected true or false");
        }
        return n.booleanValue();
    }

    static JsonNode array(JsonNode n, String what) {
        if (n == null || n.isMissingNode()) {
            throw new Violation(what + " is missing");
        }
        if (!n.isArray()) {
            throw new Violation(what + " is " + show(n) + ", expected an array");
        }
        return n;
    }

    static JsonNode object(JsonNode n, String what) {
        if (n == null || n.isMissingNode()) {
            throw new Violation(what + " is missing");
        }
        if (!n.isObject()) {
            throw new Violation(what + " is " + show(n) + ", expected an object");
        }
        return n;
    }

    /**
     * A [rows][cols] array of numbers; {@code rows < 0} takes any number of rows.
     *
     * @param shape how the shape is explained, e.g. {@code [out][in] = [4][3]}
     */
    static double[][] matrix(JsonNode n, String what, int rows, int cols, String shape) {
        if (n == null || n.isMissingNode()) {
            throw new Violation(what + " is missing (" + shape + ")");
        }
        if (!n.isArray()) {
            throw new Violation(what + " is " + show(n) + ", expected an array of rows (" + shape + ")");
        }
        if (rows >= 0 && n.size() != rows) {
            throw new Violation(what + " has " + n.size() + " rows, expected " + rows + " (" + shape + ")");
        }
        double[][] m = new double[n.size()][];
        for (int i = 0; i < m.length; i++) {
            JsonNode row = n.get(i);
            if (!row.isArray()) {
                throw new Violation(what + " row " + i + " is " + show(row) + ", expected an array (" + shape + ")");
            }
            if (row.size() != cols) {
                throw new Violation(what + " row " + i + " has " + row.size() + " columns, expected " + cols
                        + " (" + shape + ")");
            }
            m[i] = new double[cols];
            for (int j = 0; j < cols; j++) {
                m[i][j] = number(row.get(j), what + "[" + i + "," + j + "]");
            }
        }
        return m;
    }

    static double[] vector(JsonNode n, String what, int length, String shape) {
        if (n == null || n.isMissingNode()) {
            throw new Violation(what + " is missing (" + shape + ")");
        }
        if (!n.isArray()) {
            throw new Violation(what + " is " + show(n) + ", expected an array (" + shape + ")");
        }
        if (length >= 0 && n.size() != length) {
            throw new Violation(what + " has " + n.size() + " entries, expected " + length + " (" + shape + ")");
        }
        double[] v = new double[n.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = number(n.get(i), what + "[" + i + "]");
        }
        return v;
    }

    /** Parameters or a gradient shaped by the network; {@code what} is {@code params} or {@code gradient}. */
    static Parameters parameters(JsonNode n, String what, NetworkDescription d) {
        object(n, what);
        int layers = d.layers().size();
        double[][][] w = new double[layers][][];
        double[][] b = new double[layers][];
        Set<String> expected = new HashSet<>();
        for (int l = 0; l < layers; l++) {
            NetworkDescription.Layer layer = d.layers().get(l);
            String wName = "W" + (l + 1);
            String bName = "b" + (l + 1);
            expected.add(wName);
            w[l] = matrix(n.get(wName), what + " " + wName, layer.out(), layer.in(),
                    "[out][in] = [" + layer.out() + "][" + layer.in() + "]");
            if (layer.bias()) {
                expected.add(bName);
                b[l] = vector(n.get(bName), what + " " + bName, layer.out(), "[out] = [" + layer.out() + "]");
            }
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!expected.contains(key)) {
                throw new Violation(what + " has " + key + ", which the network does not have" + unexpectedWhy(key, d));
            }
        }
        return new Parameters(w, b);
    }

    private static String unexpectedWhy(String key, NetworkDescription d) {
        if (key.matches("[Wb][1-9][0-9]{0,4}")) {
            int l = Integer.parseInt(key.substring(1));
            if (l > d.layers().size()) {
                return " (it has " + d.layers().size() + " layers)";
            }
            return " (layer " + l + " has no bias)";
        }
        return " (expected W1.. and b1..)";
    }

    static NetworkDescription network(JsonNode n) {
        object(n, "network");
        int inputs = count(n.get("inputs"), "network.inputs");
        JsonNode layers = array(n.get("layers"), "network.layers");
        if (layers.isEmpty()) {
            throw new Violation("network.layers is empty");
        }
        List<NetworkDescription.Layer> list = new ArrayList<>();
        int in = inputs;
        for (int i = 0; i < layers.size(); i++) {
            String at = "network.layers[" + i + "]";
            JsonNode l = object(layers.get(i), at);
            int lin = count(l.get("in"), at + ".in");
            int out = count(l.get("out"), at + ".out");
            if (lin != in) {
                throw new Violation(at + ".in is " + lin + ", expected " + in
                        + (i == 0 ? " (network.inputs)" : " (the out of layer " + (i - 1) + ")"));
            }
            String activation = text(l.get("activation"), at + ".activation");
            double slope = l.has("slope") ? number(l.get("slope"), at + ".slope") : 0.01;
            double alpha = l.has("alpha") ? number(l.get("alpha"), at + ".alpha") : 1.0;
            String value = l.has("value") ? text(l.get("value"), at + ".value") : null;
            list.add(new NetworkDescription.Layer(lin, out, activation, slope, alpha, value,
                    bool(l.get("bias"), at + ".bias", true)));
            in = out;
        }
        JsonNode loss = object(n.get("loss"), "network.loss");
        String type = text(loss.get("type"), "network.loss.type");
        String reduction = text(loss.get("reduction"), "network.loss.reduction");
        double lambda = 0;
        boolean biases = false;
        if (n.has("l2")) {
            JsonNode l2 = object(n.get("l2"), "network.l2");
            lambda = l2.has("lambda") ? number(l2.get("lambda"), "network.l2.lambda") : 0;
            biases = bool(l2.get("biases"), "network.l2.biases", false);
        }
        return new NetworkDescription(inputs, list, type, reduction, lambda, biases);
    }

    /** A request's {@code x} ([examples][inputs]) and {@code y} ([examples][outputs]). */
    static Batch batch(JsonNode request, NetworkDescription d) {
        JsonNode x = request.get("x");
        int examples = x != null && x.isArray() ? x.size() : 0;
        return new Batch(
                matrix(x, "x", -1, d.inputs(), "[examples][inputs] = [" + examples + "][" + d.inputs() + "]"),
                matrix(request.get("y"), "y", examples, d.outputs(),
                        "[examples][outputs] = [" + examples + "][" + d.outputs() + "]"));
    }

    static List<Perturbation> perturbations(JsonNode n, NetworkDescription d) {
        array(n, "perturbations");
        List<Perturbation> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            String at = "perturbations[" + i + "]";
            JsonNode p = object(n.get(i), at);
            String param = text(p.get("param"), at + ".param");
            if (!param.matches("[Wb][1-9][0-9]{0,4}") || Integer.parseInt(param.substring(1)) > d.layers().size()) {
                throw new Violation(at + ".param is \"" + param + "\", expected W1..W" + d.layers().size()
                        + " or b1..b" + d.layers().size());
            }
            NetworkDescription.Layer layer = d.layers().get(Integer.parseInt(param.substring(1)) - 1);
            JsonNode index = array(p.get("index"), at + ".index");
            boolean weight = param.charAt(0) == 'W';
            if (!weight && !layer.bias()) {
                throw new Violation(at + ".param is " + param + ", but that layer has no bias");
            }
            if (index.size() != (weight ? 2 : 1)) {
                throw new Violation(at + ".index has " + index.size() + " entries, expected " + (weight ? 2 : 1)
                        + (weight ? " ([row, column])" : " ([row])"));
            }
            int row = count(index.get(0), at + ".index[0]");
            int col = weight ? count(index.get(1), at + ".index[1]") : -1;
            if (row >= layer.out() || col >= layer.in()) {
                throw new Violation(at + ".index is " + show(index) + ", outside " + param + "'s shape "
                        + (weight ? "[" + layer.out() + "][" + layer.in() + "]" : "[" + layer.out() + "]"));
            }
            int layerNumber = Integer.parseInt(param.substring(1));
            out.add(new Perturbation(weight ? Coordinate.weight(layerNumber, row, col) : Coordinate.bias(layerNumber, row),
                    number(p.get("delta"), at + ".delta")));
        }
        return out;
    }
}
