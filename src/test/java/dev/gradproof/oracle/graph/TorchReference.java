package dev.gradproof.oracle.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gradproof.external.OneShot;
import dev.gradproof.network.Activation;
import dev.gradproof.network.graph.GraphCase;
import dev.gradproof.network.graph.GraphLayout;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphNode;
import dev.gradproof.network.graph.LossHead;
import dev.gradproof.spec.layers.AttentionOptions;
import dev.gradproof.spec.layers.BatchNormOptions;
import dev.gradproof.spec.layers.ConvOptions;
import dev.gradproof.spec.layers.DenseOptions;
import dev.gradproof.spec.layers.DropoutOptions;
import dev.gradproof.spec.layers.LayerNormOptions;
import dev.gradproof.spec.layers.LayerOptions;
import dev.gradproof.spec.layers.PoolOptions;
import dev.gradproof.spec.layers.RecurrentOptions;
import dev.gradproof.spec.layers.Shape;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes graph cases as JSON for src/test/resources/torch/reference_check.py, runs it once for all of
 * them with a Python that imports torch, and reads its answers.
 */
final class TorchReference {
    static final Path SCRIPT = Path.of("src/test/resources/torch/reference_check.py");
    private static final ObjectMapper JSON = new ObjectMapper();

    private TorchReference() {
    }

    /** A case as sent: the graph case, and the functional's coefficients (null: the loss is compared). */
    record Sent(String id, GraphCase c, double[] functional, Map<String, double[]> masks) {
    }

    /** The first of GRADPROOF_PYTHON, python3, /usr/bin/python3 that imports torch. */
    static Optional<String> python() {
        String env = System.getenv("GRADPROOF_PYTHON");
        List<String> candidates = env != null && !env.isBlank() ? List.of(env) : List.of("python3", "/usr/bin/python3");
        for (String p : candidates) {
            try {
                OneShot.run(List.of(p, "-c", "import torch"), null, Map.of(), Duration.ofSeconds(60));
                return Optional.of(p);
            } catch (IOException notThisOne) {
                // try the next
            }
        }
        return Optional.empty();
    }

    /** Runs every case through PyTorch; the answers by id. */
    static Map<String, JsonNode> run(String python, List<Sent> cases, Path dir) throws IOException {
        List<Map<String, Object>> json = new ArrayList<>();
        for (Sent s : cases) {
            json.add(describe(s));
        }
        Path in = dir.resolve("cases.json");
        Path out = dir.resolve("answers.json");
        JSON.writeValue(in.toFile(), json);
        OneShot.run(List.of(python, SCRIPT.toString(), in.toString(), out.toString()), null, Map.of(),
                Duration.ofMinutes(5));
        JsonNode root = JSON.readTree(Files.readString(out));
        Map<String, JsonNode> answers = new LinkedHashMap<>();
        for (JsonNode a : root.path("answers")) {
            answers.put(a.path("id").asText(), a);
        }
        return answers;
    }

    static Map<String, Object> describe(Sent s) {
        GraphNetwork g = s.c().network();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("n", s.c().data().examples());
        m.put("input", Map.of("kind", g.inputShape().kind().name(), "dims", g.inputShape().dims()));
        List<Map<String, Object>> layers = new ArrayList<>();
        for (GraphNode node : g.nodes()) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("name", node.name());
            l.put("type", node.options().type().yamlName());
            l.put("options", options(node.options(), node.shape()));
            l.put("from", node.inputs());
            List<String> kinds = new ArrayList<>();
            for (int f : node.inputs()) {
                kinds.add((f < 0 ? g.inputShape() : g.nodes().get(f).shape()).kind().name());
            }
            l.put("input_kinds", kinds);
            l.put("activation", node.softmax() ? Map.of("name", "softmax") : activation(node.activation()));
            layers.add(l);
        }
        m.put("layers", layers);
        Map<String, Object> params = new LinkedHashMap<>();
        GraphLayout layout = g.layout();
        for (GraphLayout.Tensor t : layout.tensors()) {
            params.put(t.group(), Map.of("shape", t.tensor().shape(),
                    "values", Arrays.copyOfRange(s.c().theta(), t.offset(), t.offset() + t.size())));
        }
        m.put("params", params);
        m.put("x", s.c().data().x());
        m.put("masks", s.masks());
        if (s.functional() != null) {
            m.put("c", s.functional());
        } else {
            LossHead head = g.head();
            Map<String, Object> loss = new LinkedHashMap<>();
            loss.put("kind", head.options().kind().name());
            loss.put("delta", head.options().delta());
            loss.put("steps", head.options().steps().name());
            loss.put("steps_of", head.steps());
            loss.put("logits", head.loss().fromLogits());
            m.put("loss", loss);
            m.put("y", s.c().data().y());
            m.put("reduction", g.meanReduction() ? "mean" : "sum");
            m.put("l2", g.lambda());
            List<String> penalised = new ArrayList<>();
            for (GraphLayout.Tensor t : layout.tensors()) {
                if (g.penalised(t.offset())) {
                    penalised.add(t.group());
                }
            }
            m.put("penalised", penalised);
        }
        return m;
    }

    /** A built-in activation's name and options, read back from its values (slope, alpha are not exposed). */
    private static Map<String, Object> activation(Activation a) {
        if (a == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", a.name());
        m.put("slope", -a.value(-1));
        m.put("alpha", -a.value(-1000));
        return m;
    }

    private static Map<String, Object> options(LayerOptions o, Shape shape) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (o instanceof DenseOptions d) {
            m.put("units", d.units());
        } else if (o instanceof ConvOptions c) {
            m.put("kernel", c.kernel());
            m.put("stride", c.stride());
            m.put("padding", c.padding());
            m.put("dilation", c.dilation());
        } else if (o instanceof PoolOptions p) {
            m.put("kernel", p.kernel());
            m.put("stride", p.stride());
            m.put("padding", p.padding());
        } else if (o instanceof BatchNormOptions b) {
            m.put("eps", b.eps());
        } else if (o instanceof LayerNormOptions l) {
            m.put("eps", l.eps());
            m.put("normalized_shape", l.resolved(shape));
        } else if (o instanceof DropoutOptions d) {
            m.put("p", d.p());
        } else if (o instanceof RecurrentOptions r) {
            m.put("hidden", r.hidden());
            m.put("return_sequence", r.returnSequence());
            m.put("bias", r.bias());
        } else if (o instanceof AttentionOptions a) {
            m.put("heads", a.heads());
            m.put("causal", a.causal());
            m.put("bias", a.bias());
        }
        return m;
    }

    /** Normwise: max|ours − torch| ≤ rel · max(max|ours|, max|torch|); NaN never agrees. */
    static String compare(String what, double[] ours, JsonNode torch, double rel) {
        return compare(what, ours, torch, rel, null, null);
    }

    /**
     * As {@link #compare(String, double[], JsonNode, double)}, with the scale at least the largest
     * magnitude M of the terms the entries are sums of (a gradient that is mathematically 0, such as a
     * bias right before a batch norm, is pure rounding on both sides, and only its terms' size says what
     * is small), and each entry allowed the first-order effect of the forward pass's rounding, M_F − M
     * (a layer norm over a single value normalises it to exactly 0 here, to rounding noise in PyTorch).
     */
    static String compare(String what, double[] ours, JsonNode torch, double rel, double[] magnitude,
                          double[] forwardMagnitude) {
        if (torch == null || torch.isNull()) {
            return what + ": PyTorch gave no value";
        }
        if (torch.size() != ours.length) {
            return what + ": " + ours.length + " values here, " + torch.size() + " from PyTorch";
        }
        double scale = 0;
        for (int i = 0; i < ours.length; i++) {
            double t = torch.get(i).asDouble(Double.NaN);
            if (!Double.isFinite(t) || !Double.isFinite(ours[i])) {
                return what + "[" + i + "]: " + ours[i] + " here, " + t + " from PyTorch";
            }
            scale = Math.max(scale, Math.max(Math.abs(ours[i]), Math.abs(t)));
            if (magnitude != null) {
                scale = Math.max(scale, magnitude[i]);
            }
        }
        for (int i = 0; i < ours.length; i++) {
            double d = Math.abs(ours[i] - torch.get(i).asDouble());
            double forward = forwardMagnitude == null ? 0 : forwardMagnitude[i] - magnitude[i];
            if (d > rel * scale + forward) {
                return what + "[" + i + "]: " + ours[i] + " here, " + torch.get(i).asDouble() + " from PyTorch: |diff| "
                        + d + " > " + rel + " × " + scale + (forward > 0 ? " + " + forward : "");
            }
        }
        return null;
    }

    /** The entries of a tensor, from a flat parameter vector. */
    static double[] slice(double[] theta, GraphLayout.Tensor t) {
        return Arrays.copyOfRange(theta, t.offset(), t.offset() + t.size());
    }

    static boolean tokens(GraphNetwork g) {
        return g.inputShape().kind() == Shape.Kind.TOKENS;
    }
}
