package dev.gradproof.compare;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.api.Batch;
import dev.gradproof.api.GraphDescription;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.Parameters;
import dev.gradproof.api.Tensor;
import dev.gradproof.network.graph.Dropout;
import dev.gradproof.network.graph.GraphData;
import dev.gradproof.network.graph.GraphLayout;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphNode;
import dev.gradproof.spec.ActivationSpec;
import dev.gradproof.spec.layers.AttentionOptions;
import dev.gradproof.spec.layers.DropoutOptions;
import dev.gradproof.spec.layers.LayerNormOptions;
import dev.gradproof.spec.layers.LayerOptions;
import dev.gradproof.spec.GraphSpec;
import dev.gradproof.spec.LossSpec;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.layers.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apiguardian.api.API;

/**
 * Between the graph engine's flat vectors and the named tensors an implementation sees; every tensor an
 * implementation returns is checked here (its name, shape and values), so a wrong shape or a NaN is
 * named, not a crash.
 */
@API(status = INTERNAL, since = "0.2")
public final class GraphConversions {
    private GraphConversions() {
    }

    public static NetworkDescription describe(Spec spec, GraphNetwork g) {
        GraphSpec graph = spec.network().graph();
        List<GraphDescription.Layer> layers = new ArrayList<>();
        List<String> names = graph.plan().names();
        GraphLayout layout = g.layout();
        for (int k = 0; k < graph.layers().size(); k++) {
            GraphSpec.Layer l = graph.layers().get(k);
            List<String> from = new ArrayList<>();
            List<Shape> inputs = new ArrayList<>();
            for (int f : graph.plan().from().get(k)) {
                from.add(f < 0 ? "input" : names.get(f));
                inputs.add(f < 0 ? graph.input() : graph.plan().shapes().get(f));
            }
            Map<String, List<Integer>> parameters = new LinkedHashMap<>();
            for (GraphLayout.Tensor t : layout.tensors()) {
                if (t.layer() == k + 1) {
                    parameters.put(t.group(), list(t.tensor().shape()));
                }
            }
            Shape out = graph.plan().shapes().get(k);
            layers.add(new GraphDescription.Layer(names.get(k), l.options().type().yamlName(), from,
                    l.activation() == null ? null : l.activation().name(), options(l.options(), inputs), parameters,
                    list(out.dims()), kind(out), activationOptions(l.activation())));
        }
        LossSpec loss = spec.loss();
        Map<String, Object> lossMap = new LinkedHashMap<>();
        lossMap.put("type", loss.type().yamlName());
        lossMap.put("reduction", loss.reduction().yamlName());
        lossMap.put("l2", loss.l2());
        lossMap.put("l2_biases", loss.l2Biases());
        lossMap.put("delta", loss.delta());
        lossMap.put("steps", loss.steps().yamlName());
        List<String> penalised = new ArrayList<>();
        for (GraphLayout.Tensor t : layout.tensors()) {
            // what the penalty runs over, whatever λ (the wire lists it even at λ = 0)
            if (loss.l2Biases() || !layout.isBias(t.offset())) {
                penalised.add(t.group());
            }
        }
        lossMap.put("l2_tensors", penalised);
        Shape in = graph.input();
        GraphDescription d = new GraphDescription(list(in.dims()), kind(in), layers, lossMap);
        return new NetworkDescription(in.size(), List.of(), loss.type().yamlName(), loss.reduction().yamlName(),
                loss.l2(), loss.l2Biases(), d);
    }

    private static String kind(Shape s) {
        return s.kind().name().toLowerCase(Locale.ROOT);
    }

    /** The options as the spec applies them: an attention's width and a layer norm's shape worked out. */
    private static Map<String, Object> options(LayerOptions o, List<Shape> inputs) {
        Map<String, Object> out = new LinkedHashMap<>(o.describe());
        if (o instanceof AttentionOptions a && a.dim() == 0) {
            Shape in = inputs.get(0);
            out.put("dim", in.dim(in.rank() - 1));
        }
        if (o instanceof LayerNormOptions n) {
            out.put("normalized_shape", list(n.resolved(inputs.get(0))));
        }
        return out;
    }

    private static Map<String, Object> activationOptions(ActivationSpec a) {
        if (a == null) {
            return Map.of();
        }
        return switch (a.name()) {
            case "leaky_relu" -> Map.of("slope", a.slope());
            case "elu" -> Map.of("alpha", a.alpha());
            case "custom" -> Map.of("value", a.valueSource());
            default -> Map.of();
        };
    }

    public static Parameters parameters(GraphLayout layout, double[] theta) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (GraphLayout.Tensor t : layout.tensors()) {
            tensors.put(t.group(), new Tensor(t.tensor().shape(),
                    Arrays.copyOfRange(theta, t.offset(), t.offset() + t.size())));
        }
        return new Parameters(tensors);
    }

    /**
     * One row per example, its input and its target flattened row-major, and the masks of every dropout
     * layer (the network's own, {@link Dropout#mask}), so an implementation need not draw them.
     */
    public static Batch batch(GraphNetwork g, GraphData d) {
        Batch plain = batch(d, g.inputShape().size(), g.outputShape().size());
        Map<String, double[][]> masks = new LinkedHashMap<>();
        for (int k = 0; k < g.nodes().size(); k++) {
            GraphNode node = g.nodes().get(k);
            if (node.options() instanceof DropoutOptions o) {
                int size = node.shape().size();
                double[][] m = new double[d.examples()][size];
                for (int n = 0; n < m.length; n++) {
                    for (int i = 0; i < size; i++) {
                        m[n][i] = Dropout.mask(d.seed(), k + 1, n, i, o.p());
                    }
                }
                masks.put(node.name(), m);
            }
        }
        return plain.withMasks(masks);
    }

    /** One row per example: its input and its target, flattened row-major. */
    public static Batch batch(GraphData d, int inputs, int outputs) {
        double[][] x = new double[d.examples()][];
        double[][] y = new double[d.examples()][];
        for (int e = 0; e < d.examples(); e++) {
            x[e] = Arrays.copyOfRange(d.x(), e * inputs, (e + 1) * inputs);
            y[e] = Arrays.copyOfRange(d.y(), e * outputs, (e + 1) * outputs);
        }
        return new Batch(x, y);
    }

    /**
     * The flat gradient, after checking every tensor's name, shape and values.
     *
     * @throws IllegalStateException naming the first missing tensor, wrong shape or non-finite entry
     */
    public static double[] flatten(GraphLayout layout, Parameters g, String who) {
        if (g == null) {
            throw new IllegalStateException(who + " returned no gradient");
        }
        if (!g.isGraph()) {
            throw new IllegalStateException(who + " returned a dense chain's gradient (weights and biases) for a layer"
                    + " graph; build it with Parameters.zerosLike(parameters) and write its tensors");
        }
        double[] theta = new double[layout.total()];
        for (GraphLayout.Tensor t : layout.tensors()) {
            if (!g.names().contains(t.group())) {
                throw new IllegalStateException(who + " returned no " + t.group() + " in its gradient (it has "
                        + g.names() + ")");
            }
            Tensor got = g.tensor(t.group());
            if (!Arrays.equals(got.shape(), t.tensor().shape())) {
                throw new IllegalStateException(who + " returned " + t.group() + " of shape " + Arrays.toString(got.shape())
                        + ", expected " + Arrays.toString(t.tensor().shape()));
            }
            double[] v = got.data();
            for (int i = 0; i < v.length; i++) {
                if (!Double.isFinite(v[i])) {
                    throw new IllegalStateException(who + " returned " + v[i] + " for the gradient of "
                            + layout.name(t.offset() + i));
                }
                theta[t.offset() + i] = v[i];
            }
        }
        return theta;
    }

    private static List<Integer> list(int[] dims) {
        List<Integer> out = new ArrayList<>();
        for (int d : dims) {
            out.add(d);
        }
        return out;
    }
}
