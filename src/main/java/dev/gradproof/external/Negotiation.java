package dev.gradproof.external;

import dev.gradproof.api.Coordinate;
import dev.gradproof.api.GraphDescription;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.Parameters;
import dev.gradproof.api.Perturbation;
import dev.gradproof.api.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which version a child continues in (docs/PROTOCOL.md, "Negotiation"), and a dense chain's way into
 * version 1: its version 1 network, and its tensors renamed both ways ({@code dense2.weight[3,7]} is
 * {@code W2[3,7]}).
 */
final class Negotiation {
    private static final Set<String> V1_ACTIVATIONS = Set.of("identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu",
            "softplus", "custom", "softmax");
    private static final Set<String> V1_LOSSES = Set.of("squared_error", "mse", "binary_cross_entropy",
            "softmax_cross_entropy");

    private Negotiation() {
    }

    /** What the answer to a version 2 hello says about the child. */
    enum Answer {
        /** Continues in version 2. */
        VERSION_2,
        /** A version 2 child that cannot build this network: its refusal. */
        REFUSED,
        /** A child that speaks version 1 only. */
        VERSION_1,
        /** {@code ok: true} with a version the parent does not accept. */
        UNKNOWN
    }

    static Answer read(boolean ok, com.fasterxml.jackson.databind.JsonNode protocol) {
        boolean two = protocol != null && protocol.isIntegralNumber() && protocol.intValue() == 2;
        if (!ok) {
            return two ? Answer.REFUSED : Answer.VERSION_1;
        }
        if (two) {
            return Answer.VERSION_2;
        }
        boolean one = protocol == null || protocol.isNull()
                || (protocol.isIntegralNumber() && protocol.intValue() == 1);
        return one ? Answer.VERSION_1 : Answer.UNKNOWN;
    }

    /**
     * Why version 1 cannot carry the network, the first reason found: the first layer's type, the input,
     * then each layer in order (its type, what it reads, its activation), then the loss; empty for a
     * dense chain. (The first layer's type comes before the input because a convolution on channels is
     * about the convolution: negotiation.json's error names conv1, not the input.)
     */
    static Optional<String> whyNotVersion1(NetworkDescription network) {
        if (!network.isGraph()) {
            return V1_LOSSES.contains(network.loss()) ? Optional.empty() : Optional.of("the loss is " + network.loss());
        }
        GraphDescription d = network.graph();
        Optional<String> first = type(d, 0);
        if (first.isPresent()) {
            return first;
        }
        if (!d.inputKind().equals("features") || d.input().size() != 1) {
            return Optional.of("the input is " + describe(d.inputKind(), d.input()));
        }
        String previous = "input";
        for (int k = 0; k < d.layers().size(); k++) {
            GraphDescription.Layer l = d.layers().get(k);
            String which = "layer " + (k + 1) + " (" + l.name() + ")";
            Optional<String> type = type(d, k);
            if (type.isPresent()) {
                return type;
            }
            if (!l.from().equals(List.of(previous))) {
                return Optional.of(which + " reads " + String.join(", ", l.from()));
            }
            String a = l.activation() == null ? "identity" : l.activation();
            if (a.equals("softmax") && k < d.layers().size() - 1) {
                return Optional.of(which + " has activation softmax before the last layer");
            }
            if (!V1_ACTIVATIONS.contains(a)) {
                return Optional.of(which + " has activation " + a + ", which only a protocol 2 child can compute");
            }
            previous = l.name();
        }
        String loss = (String) d.loss().get("type");
        return V1_LOSSES.contains(loss) ? Optional.empty() : Optional.of("the loss is " + loss);
    }

    private static Optional<String> type(GraphDescription d, int k) {
        GraphDescription.Layer l = d.layers().get(k);
        return l.type().equals("dense") ? Optional.empty() : Optional.of("layer " + (k + 1) + " (" + l.name() + ") is "
                + l.type() + ", which only a protocol 2 child can build");
    }

    /** The error for a network version 1 cannot carry, sent to a child that speaks only version 1. */
    static String needsVersion2(String reason, String childAnswer) {
        return "needs protocol 2: " + reason + "; the child answered the protocol 2 hello with: " + childAnswer;
    }

    /** {@code channels [1, 28, 28]}, {@code sequence [16, 8] (steps, features)}, {@code token ids [7]}: as Shape.describe(). */
    static String describe(String kind, List<Integer> dims) {
        String shape = dims.toString();
        return switch (kind) {
            case "sequence" -> "sequence " + shape + " (steps, features)";
            case "tokens" -> "token ids " + shape;
            default -> kind + " " + shape;
        };
    }

    /** A dense chain's version 1 network; the network itself when it is one already. */
    static NetworkDescription version1(NetworkDescription network) {
        if (!network.isGraph()) {
            return network;
        }
        GraphDescription d = network.graph();
        List<NetworkDescription.Layer> layers = new ArrayList<>();
        int in = d.input().get(0);
        for (GraphDescription.Layer l : d.layers()) {
            int out = ((Number) l.options().get("units")).intValue();
            Map<String, Object> a = l.activationOptions();
            layers.add(new NetworkDescription.Layer(in, out, l.activation() == null ? "identity" : l.activation(),
                    a.get("slope") instanceof Number s ? s.doubleValue() : 0.01,
                    a.get("alpha") instanceof Number al ? al.doubleValue() : 1.0,
                    a.get("value") instanceof String v ? v : null, Boolean.TRUE.equals(l.options().get("bias"))));
            in = out;
        }
        Map<String, Object> loss = d.loss();
        return new NetworkDescription(d.input().get(0), layers, (String) loss.get("type"), (String) loss.get("reduction"),
                ((Number) loss.getOrDefault("l2", 0.0)).doubleValue(), Boolean.TRUE.equals(loss.get("l2_biases")));
    }

    /** A dense chain's named tensors as version 1's {@code W1}, {@code b1}, ...; dense parameters as they are. */
    static Parameters version1(Parameters p, NetworkDescription network) {
        if (!p.isGraph()) {
            return p;
        }
        List<GraphDescription.Layer> layers = network.graph().layers();
        double[][][] w = new double[layers.size()][][];
        double[][] b = new double[layers.size()][];
        for (int l = 0; l < layers.size(); l++) {
            String name = layers.get(l).name();
            Tensor t = p.tensor(name + ".weight");
            int[] shape = t.shape();
            w[l] = new double[shape[0]][shape[1]];
            for (int i = 0; i < shape[0]; i++) {
                System.arraycopy(t.data(), i * shape[1], w[l][i], 0, shape[1]);
            }
            if (p.names().contains(name + ".bias")) {
                b[l] = p.tensor(name + ".bias").data().clone();
            }
        }
        return new Parameters(w, b);
    }

    /** A version 1 gradient ({@code W1}, {@code b1}) under the layer graph's names, when the caller's are those. */
    static Parameters named(Parameters dense, NetworkDescription network) {
        if (!network.isGraph()) {
            return dense;
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        List<GraphDescription.Layer> layers = network.graph().layers();
        for (int l = 1; l <= layers.size(); l++) {
            String name = layers.get(l - 1).name();
            double[][] w = dense.weights(l);
            int cols = w.length == 0 ? 0 : w[0].length;
            double[] flat = new double[w.length * cols];
            for (int i = 0; i < w.length; i++) {
                System.arraycopy(w[i], 0, flat, i * cols, cols);
            }
            out.put(name + ".weight", new Tensor(new int[] {w.length, cols}, flat));
            if (dense.biases(l) != null) {
                out.put(name + ".bias", new Tensor(new int[] {dense.biases(l).length}, dense.biases(l).clone()));
            }
        }
        return new Parameters(out);
    }

    /** {@code dense2.weight[3,7]} as {@code W2[3,7]} (layer 2 being the second layer, whatever its name). */
    static Perturbation version1(Perturbation p, NetworkDescription network) {
        if (!network.isGraph()) {
            return p;
        }
        Coordinate c = p.parameter();
        List<GraphDescription.Layer> layers = network.graph().layers();
        for (int l = 1; l <= layers.size(); l++) {
            String name = layers.get(l - 1).name();
            if (c.tensor().equals(name + ".weight")) {
                return new Perturbation(Coordinate.weight(l, c.index().get(0), c.index().get(1)), p.delta());
            }
            if (c.tensor().equals(name + ".bias")) {
                return new Perturbation(Coordinate.bias(l, c.index().get(0)), p.delta());
            }
        }
        throw new IllegalArgumentException("no tensor " + c.tensor() + " in the network");
    }
}
