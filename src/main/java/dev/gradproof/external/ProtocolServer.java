package dev.gradproof.external;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gradproof.api.Batch;
import dev.gradproof.api.Evaluation;
import dev.gradproof.api.GraphDescription;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.api.Parameters;
import dev.gradproof.api.Perturbation;

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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.lang.reflect.InvocationTargetException;
import org.apiguardian.api.API;

/**
 * The child's side of the protocol (docs/PROTOCOL.md) for a {@link NetworkUnderTest} written in
 * Java: run it out of process, under {@link ProcessNetwork}, like any other implementation.
 *
 * <pre>
 * java -cp gradproof.jar:my-net.jar dev.gradproof.external.ProtocolServer com.example.MyNet
 * </pre>
 *
 * Every request gets exactly one answer line; a bad request, or an exception thrown by the
 * implementation, is answered {@code {"ok":false,"error":"..."}} and the server carries on.
 */
@API(status = INTERNAL, since = "0.2")
public final class ProtocolServer {
    private ProtocolServer() {
    }

    /**
     * Answers requests read from {@code in} on {@code out} until {@code bye} or the end of
     * {@code in}. Only protocol lines are written to {@code out}.
     *
     * @throws UncheckedIOException when {@code out} cannot be written (the parent has gone)
     */
    public static void serve(NetworkUnderTest impl, InputStream in, OutputStream out) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        Session session = new Session(impl);
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                byte[] answer = session.answer(line);
                out.write(answer);
                out.flush();
                if (session.done) {
                    return;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code ProtocolServer <class>}: instantiates the class (a public {@link NetworkUnderTest} with a
     * public no-argument constructor) and serves stdin and stdout. {@code System.out} is redirected
     * to stderr while serving, so the implementation's own printing cannot corrupt the protocol.
     */
    public static void main(String[] args) {
        PrintStream protocolOut = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(System.err);
        if (args.length != 1) {
            System.err.println("usage: java -cp <class path> dev.gradproof.external.ProtocolServer <class implementing "
                    + "dev.gradproof.api.NetworkUnderTest>");
            System.exit(2);
        }
        NetworkUnderTest impl;
        try {
            impl = instantiate(args[0]);
        } catch (IllegalArgumentException e) {
            System.err.println("ProtocolServer: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            serve(impl, System.in, protocolOut);
        } catch (UncheckedIOException e) {
            System.err.println("ProtocolServer: " + e.getCause().getMessage());
            System.exit(1);
        }
        System.exit(0);
    }

    static NetworkUnderTest instantiate(String className) {
        Class<?> type;
        try {
            type = Class.forName(className);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("no class " + className + " on the class path"
                    + (e instanceof LinkageError ? " (" + e + ")" : ""));
        }
        if (!NetworkUnderTest.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(className + " does not implement " + NetworkUnderTest.class.getName());
        }
        try {
            return (NetworkUnderTest) type.getConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(className + " has no public no-argument constructor");
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            throw new IllegalArgumentException("cannot instantiate " + className + ": " + cause);
        }
    }

    /** The state between requests: the network of the last {@code hello}. */
    private static final class Session {
        private final NetworkUnderTest impl;
        /** The network of the last hello: a layer graph is served in version 2, a dense chain in version 1. */
        private NetworkDescription network;
        private boolean done;

        Session(NetworkUnderTest impl) {
            this.impl = impl;
        }

        byte[] answer(String line) {
            try {
                JsonNode request;
                try {
                    request = Protocol.STRICT.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new Protocol.Violation("request is not valid JSON: " + Protocol.quote(line, 200));
                }
                Protocol.object(request, "request");
                String op = Protocol.text(request.get("op"), "op");
                return switch (op) {
                    case "hello" -> hello(request);
                    case "evaluate" -> evaluate(request);
                    case "losses" -> losses(request);
                    case "bye" -> {
                        done = true;
                        yield Protocol.line(g -> g.writeBooleanField("ok", true));
                    }
                    default -> throw new Protocol.Violation("unknown op \"" + op + "\" (expected hello, evaluate, "
                            + "losses or bye)");
                };
            } catch (Protocol.Violation e) {
                return refuse(e.getMessage());
            } catch (RuntimeException | StackOverflowError | AssertionError | LinkageError e) {
                return refuse(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            }
        }

        private static byte[] refuse(String message) {
            return refuse(message, 0);
        }

        /** @param protocol written into the answer when not 0 (every answer to a version 2 hello carries it) */
        private static byte[] refuse(String message, int protocol) {
            return Protocol.line(g -> {
                g.writeBooleanField("ok", false);
                g.writeStringField("error", message);
                if (protocol != 0) {
                    g.writeNumberField("protocol", protocol);
                }
            });
        }

        private byte[] hello(JsonNode request) {
            JsonNode protocol = request.get("protocol");
            if (protocol != null && protocol.isIntegralNumber() && protocol.intValue() == GraphWire.VERSION) {
                return helloVersion2(request);
            }
            if (protocol == null || !protocol.isIntegralNumber() || protocol.intValue() != Protocol.VERSION) {
                throw new Protocol.Violation("protocol " + (protocol == null ? "is missing" : Protocol.show(protocol)
                        + " is not supported") + " (this server speaks protocols 1 and 2)");
            }
            return greet(Protocol.network(request.get("network")), Protocol.VERSION);
        }

        /** Keeps the network and answers hello in the version the conversation continues in. */
        private byte[] greet(NetworkDescription d, int version) {
            network = d;
            String name = impl.name();
            String dtype = impl.dtype();
            return Protocol.line(g -> {
                g.writeBooleanField("ok", true);
                g.writeStringField("implementation", name);
                g.writeStringField("dtype", dtype);
                g.writeNumberField("protocol", version);
            });
        }

        /**
         * A layer graph is served in version 2. A dense chain is declined without {@code "protocol": 2}, so
         * the parent offers it again as version 1 (docs/PROTOCOL.md, "Negotiation"): the implementation then
         * gets {@code W1}, {@code b1} as it always has.
         */
        private byte[] helloVersion2(JsonNode request) {
            NetworkDescription d;
            try {
                d = GraphRequests.network(request.get("network"));
            } catch (Protocol.Violation e) {
                return refuse(e.getMessage(), GraphWire.VERSION);
            }
            if (Negotiation.whyNotVersion1(d).isEmpty()) {
                return refuse("a dense chain is served in protocol 1 (this server speaks 2 for layer graphs only)");
            }
            return greet(d, GraphWire.VERSION);
        }

        private NetworkDescription network(String op) {
            if (network == null) {
                throw new Protocol.Violation(op + " before hello");
            }
            return network;
        }

        private byte[] evaluate(JsonNode request) {
            NetworkDescription d = network("evaluate");
            boolean graph = d.isGraph();
            Parameters p = graph ? GraphWire.tensors(request.get("params"), "params", d.graph())
                    : Protocol.parameters(request.get("params"), "params", d);
            Batch batch = graph ? GraphRequests.batch(request, d.graph()) : Protocol.batch(request, d);
            if (!wantsGradient(request, graph)) {
                double loss = finite(impl.loss(d, p, batch), "the loss");
                return Protocol.line(g -> {
                    g.writeBooleanField("ok", true);
                    g.writeNumberField("loss", loss);
                });
            }
            Evaluation e = impl.evaluate(d, p, batch);
            if (e == null || e.gradient() == null) {
                throw new Protocol.Violation(impl.name() + " returned no " + (e == null ? "evaluation" : "gradient"));
            }
            double loss = finite(e.loss(), "the loss");
            Parameters grad = e.gradient();
            if (graph) {
                checkShape(grad, d.graph());
            } else {
                checkShape(grad, d);
            }
            return Protocol.line(g -> {
                g.writeBooleanField("ok", true);
                g.writeNumberField("loss", loss);
                if (graph) {
                    GraphWire.writeTensors(g, "gradient", grad, d.graph());
                } else {
                    Protocol.writeParameters(g, "gradient", grad);
                }
            });
        }

        /** {@code want}: the gradient unless it asks for the loss alone; version 2 may name input_gradient, refused. */
        private static boolean wantsGradient(JsonNode request, boolean graph) {
            if (!request.has("want")) {
                return true;
            }
            boolean gradient = false;
            for (JsonNode w : Protocol.array(request.get("want"), "want")) {
                String s = Protocol.text(w, "want[]");
                if (s.equals("gradient")) {
                    gradient = true;
                } else if (graph && s.equals("input_gradient")) {
                    throw new Protocol.Violation("input_gradient: a Java NetworkUnderTest gives no gradient with respect"
                            + " to its inputs (an Evaluation holds the loss and the parameters' gradient)");
                } else if (!s.equals("loss")) {
                    throw new Protocol.Violation("want has \"" + s + "\", expected \"loss\""
                            + (graph ? ", \"gradient\" and/or \"input_gradient\"" : " and/or \"gradient\""));
                }
            }
            return gradient;
        }

        /** A layer graph's gradient: named tensors, each of its parameter's shape. */
        private void checkShape(Parameters grad, GraphDescription graph) {
            if (!grad.isGraph()) {
                throw new Protocol.Violation(impl.name() + " returned a gradient of W1, b1, ... for a layer graph "
                        + "(expected named tensors: Parameters.zerosLike(parameters))");
            }
            for (GraphDescription.Layer l : graph.layers()) {
                for (Map.Entry<String, List<Integer>> t : l.parameters().entrySet()) {
                    int[] want = t.getValue().stream().mapToInt(Integer::intValue).toArray();
                    if (!grad.names().contains(t.getKey())) {
                        throw new Protocol.Violation(impl.name() + " returned no gradient " + t.getKey());
                    }
                    if (!Arrays.equals(grad.tensor(t.getKey()).shape(), want)) {
                        throw new Protocol.Violation(impl.name() + " returned gradient " + t.getKey() + " of shape "
                                + GraphWire.shape(grad.tensor(t.getKey()).shape()) + ", expected " + GraphWire.shape(want));
                    }
                }
            }
        }

        private byte[] losses(JsonNode request) {
            NetworkDescription d = network("losses");
            boolean graph = d.isGraph();
            Parameters p = graph ? GraphWire.tensors(request.get("params"), "params", d.graph())
                    : Protocol.parameters(request.get("params"), "params", d);
            Batch batch = graph ? GraphRequests.batch(request, d.graph()) : Protocol.batch(request, d);
            List<Perturbation> perturbations = graph ? GraphRequests.perturbations(request.get("perturbations"), d.graph())
                    : Protocol.perturbations(request.get("perturbations"), d);
            double[] losses = impl.losses(d, p, batch, perturbations);
            if (losses == null || losses.length != perturbations.size()) {
                throw new Protocol.Violation(impl.name() + " returned " + (losses == null ? "no" : losses.length)
                        + " losses for " + perturbations.size() + " perturbations");
            }
            for (int i = 0; i < losses.length; i++) {
                finite(losses[i], "losses[" + i + "]");
            }
            return Protocol.line(g -> {
                g.writeBooleanField("ok", true);
                g.writeArrayFieldStart("losses");
                for (double v : losses) {
                    g.writeNumber(v);
                }
                g.writeEndArray();
            });
        }

        private double finite(double v, String what) {
            if (!Double.isFinite(v)) {
                throw new Protocol.Violation(impl.name() + " returned " + v + " for " + what);
            }
            return v;
        }

        /** The implementation's gradient has the network's shapes (values are checked as they are written). */
        private void checkShape(Parameters grad, NetworkDescription d) {
            if (grad.layers() != d.layers().size()) {
                throw new Protocol.Violation(impl.name() + " returned a gradient for " + grad.layers()
                        + " layers, the network has " + d.layers().size());
            }
            for (int l = 1; l <= grad.layers(); l++) {
                NetworkDescription.Layer layer = d.layers().get(l - 1);
                String shape = " ([out][in] = [" + layer.out() + "][" + layer.in() + "])";
                double[][] w = grad.weights(l);
                if (w == null || w.length != layer.out()) {
                    throw new Protocol.Violation(impl.name() + " returned gradient W" + l + " with "
                            + (w == null ? "no" : w.length) + " rows, expected " + layer.out() + shape);
                }
                for (int i = 0; i < w.length; i++) {
                    if (w[i] == null || w[i].length != layer.in()) {
                        throw new Protocol.Violation(impl.name() + " returned gradient W" + l + " row " + i + " with "
                                + (w[i] == null ? "no" : w[i].length) + " columns, expected " + layer.in() + shape);
                    }
                }
                double[] b = grad.biases(l);
                if (layer.bias() && (b == null || b.length != layer.out())) {
                    throw new Protocol.Violation(impl.name() + " returned gradient b" + l + " with "
                            + (b == null ? "no" : b.length) + " entries, expected " + layer.out());
                }
                if (!layer.bias() && b != null) {
                    throw new Protocol.Violation(impl.name() + " returned gradient b" + l
                            + ", but layer " + l + " has no bias");
                }
            }
        }
    }
}
