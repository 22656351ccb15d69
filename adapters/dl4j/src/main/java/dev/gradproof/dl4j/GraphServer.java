package dev.gradproof.dl4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deeplearning4j as a protocol 2 child (docs/PROTOCOL.md, "Version 2: layer graphs"; docs/DL4J.md).
 * A dense chain is served as before, by {@link Dl4jNetwork} (a {@code MultiLayerNetwork}: the
 * conventions found on the dense specs stay exactly as documented); any other graph by a
 * {@link ComputationGraphSession}. Every answer to a hello carries {@code "protocol": 2}, refusals
 * included, so the parent reports a refusal as DL4J's reason rather than as a version 1 child.
 * {@code System.out} is redirected to stderr: stdout is the protocol.
 */
public final class GraphServer {
    static final int VERSION = 2;
    static final ObjectMapper JSON = new ObjectMapper();

    /** What a hello leaves behind: how to answer evaluate and losses for its network. */
    interface Session {
        ObjectNode evaluate(JsonNode request, boolean gradient);

        double[] losses(JsonNode request);
    }

    private final Boolean miniBatchOverride;
    private JsonNode network;
    private Session session;
    private boolean done;

    GraphServer(Boolean miniBatchOverride) {
        this.miniBatchOverride = miniBatchOverride;
    }

    public static void main(String[] args) {
        PrintStream protocolOut = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(System.err);
        Boolean miniBatch = Dl4jNetwork.parseMiniBatch(System.getProperty(Dl4jNetwork.MINIBATCH_PROPERTY, "auto"));
        try {
            new GraphServer(miniBatch).serve(System.in, protocolOut);
        } catch (UncheckedIOException e) {
            System.err.println("gradproof-dl4j: " + e.getCause().getMessage());
            System.exit(1);
        }
        System.exit(0);
    }

    void serve(InputStream in, OutputStream out) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        try {
            String line;
            while (!done && (line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                out.write((answer(line) + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One request line's answer line (without the newline). */
    String answer(String line) {
        boolean hello = false;
        try {
            JsonNode request;
            try {
                request = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("request is not valid JSON");
            }
            String op = request.path("op").asText("");
            hello = op.equals("hello");
            ObjectNode a = switch (op) {
                case "hello" -> hello(request);
                case "evaluate" -> evaluate(request);
                case "losses" -> losses(request);
                case "bye" -> {
                    done = true;
                    yield JSON.createObjectNode().put("ok", true);
                }
                default -> throw new IllegalArgumentException("unknown op \"" + op + "\" (expected hello, evaluate, "
                        + "losses or bye)");
            };
            return a.toString();
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            if (!(e instanceof IllegalArgumentException)) {
                // Not a refusal but a failure inside DL4J or here: its trace goes where the parent shows it.
                e.printStackTrace();
            }
            String message = e instanceof IllegalArgumentException && e.getMessage() != null ? e.getMessage()
                    : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            ObjectNode a = JSON.createObjectNode().put("ok", false).put("error", message);
            if (hello) {
                a.put("protocol", VERSION);
            }
            return a.toString();
        }
    }

    private ObjectNode hello(JsonNode request) {
        JsonNode protocol = request.get("protocol");
        if (protocol == null || protocol.asInt() != VERSION) {
            throw new IllegalArgumentException("protocol " + (protocol == null ? "is missing" : protocol + " is not supported")
                    + " (this is protocol 2; a dense chain travels in protocol 2 too)");
        }
        JsonNode n = request.get("network");
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("hello has no network");
        }
        if (!n.equals(network)) {
            session = null;
            network = null;
            session = DenseChainSession.isDenseChain(n) ? new DenseChainSession(n, miniBatchOverride)
                    : new ComputationGraphSession(n, miniBatchOverride);
            network = n;
        }
        return JSON.createObjectNode().put("ok", true).put("implementation", "dl4j-" + Dl4jNetwork.DL4J_VERSION)
                .put("dtype", "float64").put("protocol", VERSION);
    }

    private Session session(String op) {
        if (session == null) {
            throw new IllegalArgumentException(op + " before hello");
        }
        return session;
    }

    private ObjectNode evaluate(JsonNode request) {
        Session s = session("evaluate");
        boolean gradient = true;
        JsonNode want = request.get("want");
        if (want != null) {
            gradient = false;
            for (JsonNode w : want) {
                switch (w.asText()) {
                    case "loss" -> { }
                    case "gradient" -> gradient = true;
                    case "input_gradient" -> throw new IllegalArgumentException("input_gradient is not offered: DL4J "
                            + "1.0.0-M2.1's ComputationGraph has no public call returning the gradient with respect to its inputs");
                    default -> throw new IllegalArgumentException("want has \"" + w.asText() + "\"");
                }
            }
        }
        return s.evaluate(request, gradient);
    }

    private ObjectNode losses(JsonNode request) {
        double[] l = session("losses").losses(request);
        ObjectNode a = JSON.createObjectNode().put("ok", true);
        ArrayNode arr = a.putArray("losses");
        for (double v : l) {
            arr.add(v);
        }
        return a;
    }

    // ------------------------------------------------------------------ nested arrays

    /** A nested array of the given shape, row-major; the shape is checked. */
    static double[] flat(JsonNode n, String what, int[] shape) {
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        double[] out = new double[size];
        int[] next = {0};
        fill(n, what, shape, 0, out, next);
        return out;
    }

    private static void fill(JsonNode n, String what, int[] shape, int axis, double[] out, int[] next) {
        if (axis == shape.length) {
            if (n == null || !n.isNumber()) {
                throw new IllegalArgumentException(what + " has " + n + " where a number belongs");
            }
            out[next[0]++] = n.asDouble();
            return;
        }
        if (n == null || !n.isArray() || n.size() != shape[axis]) {
            throw new IllegalArgumentException(what + " has shape other than " + java.util.Arrays.toString(shape));
        }
        for (JsonNode e : n) {
            fill(e, what, shape, axis + 1, out, next);
        }
    }

    static void nested(ArrayNode into, double[] flat, int[] shape, int axis, int[] at) {
        for (int i = 0; i < shape[axis]; i++) {
            if (axis == shape.length - 1) {
                into.add(flat[at[0]++]);
            } else {
                nested(into.addArray(), flat, shape, axis + 1, at);
            }
        }
    }

    static void putNested(ObjectNode o, String field, double[] flat, int[] shape) {
        if (shape.length == 0) {
            o.put(field, flat[0]);
            return;
        }
        nested(o.putArray(field), flat, shape, 0, new int[] {0});
    }

    /** Every parameter tensor the network declares, with its shape, in order. */
    static Map<String, int[]> tensors(JsonNode network) {
        Map<String, int[]> r = new LinkedHashMap<>();
        for (JsonNode layer : network.get("layers")) {
            layer.get("parameters").fields().forEachRemaining(e -> r.put(e.getKey(), GraphBuilder.ints(e.getValue())));
        }
        return r;
    }

    static Map<String, double[]> params(JsonNode request, Map<String, int[]> tensors) {
        JsonNode p = request.get("params");
        if (p == null || !p.isObject()) {
            throw new IllegalArgumentException("params is missing");
        }
        Map<String, double[]> r = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> t : tensors.entrySet()) {
            r.put(t.getKey(), flat(p.get(t.getKey()), "params " + t.getKey(), t.getValue()));
        }
        return r;
    }

    /** The flat index of a perturbation's {@code index} in a tensor of the given shape. */
    static int offset(JsonNode index, int[] shape, String what) {
        if (index == null || !index.isArray() || index.size() != shape.length) {
            throw new IllegalArgumentException(what + " index must have " + shape.length + " entries");
        }
        int off = 0;
        for (int a = 0; a < shape.length; a++) {
            int i = index.get(a).asInt();
            if (i < 0 || i >= shape[a]) {
                throw new IllegalArgumentException(what + " index " + index + " is outside " + java.util.Arrays.toString(shape));
            }
            off = off * shape[a] + i;
        }
        return off;
    }

    static List<JsonNode> perturbations(JsonNode request) {
        JsonNode p = request.get("perturbations");
        if (p == null || !p.isArray()) {
            throw new IllegalArgumentException("perturbations is missing");
        }
        List<JsonNode> r = new ArrayList<>();
        p.forEach(r::add);
        return r;
    }
}
