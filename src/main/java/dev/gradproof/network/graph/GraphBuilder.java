package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activation;
import dev.gradproof.spec.layers.AddOptions;
import dev.gradproof.spec.layers.AttentionOptions;
import dev.gradproof.spec.layers.BatchNormOptions;
import dev.gradproof.spec.layers.ConcatOptions;
import dev.gradproof.spec.layers.ConvOptions;
import dev.gradproof.spec.layers.DenseOptions;
import dev.gradproof.spec.layers.DropoutOptions;
import dev.gradproof.spec.layers.EmbeddingOptions;
import dev.gradproof.spec.layers.FlattenOptions;
import dev.gradproof.spec.layers.GlobalAvgPoolOptions;
import dev.gradproof.spec.layers.LayerNormOptions;
import dev.gradproof.spec.layers.LayerOptionException;
import dev.gradproof.spec.layers.LayerOptions;
import dev.gradproof.spec.layers.LayerType;
import dev.gradproof.spec.layers.LossOptions;
import dev.gradproof.spec.layers.PoolOptions;
import dev.gradproof.spec.layers.PositionEmbeddingOptions;
import dev.gradproof.spec.layers.RecurrentOptions;
import dev.gradproof.spec.layers.Shape;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * Builds a {@link GraphNetwork} programmatically, layer by layer in spec order. A layer reads the
 * previous one unless {@link #from} names others ({@code "input"} is the network's input); {@link
 * #activation}, {@link #softmax}, {@link #from} and {@link #frozen} apply to the layer added last:
 *
 * <pre>
 * GraphNetwork.builder().input(1, 28, 28)
 *     .conv2d("conv1", 6, 5, 1, 0).activation(Activations.tanh())
 *     .maxPool2d(2)
 *     .flatten()
 *     .dense("out", 10).softmax()
 *     .loss(LossOptions.of(LossOptions.Kind.SOFTMAX_CROSS_ENTROPY)).mean()
 *     .build();
 * </pre>
 *
 * Every problem is a {@link LayerOptionException} with the option key, and the layer where there is one.
 */
@API(status = INTERNAL, since = "0.2")
public final class GraphBuilder {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final class Pending {
        final String name;
        final LayerOptions options;
        List<String> from;
        Activation activation;
        boolean softmax;
        boolean frozen;

        Pending(String name, LayerOptions options) {
            this.name = name;
            this.options = options;
        }
    }

    private Shape input;
    private final List<Pending> layers = new ArrayList<>();
    private LossOptions loss;
    private boolean mean = true;
    private double lambda;
    private boolean l2Biases;

    GraphBuilder() {
    }

    /** [F] features, [T, F] a sequence, [C, H, W] channels; {@link #input(Shape)} for [C, L] channels. */
    public GraphBuilder input(int... dims) {
        return input(switch (dims.length) {
            case 1 -> Shape.features(dims[0]);
            case 2 -> Shape.sequence(dims[0], dims[1]);
            default -> Shape.channels(dims);
        });
    }

    public GraphBuilder input(Shape shape) {
        this.input = shape;
        return this;
    }

    /** T integer token ids per example, the input of an embedding. */
    public GraphBuilder tokens(int steps) {
        return input(Shape.tokens(steps));
    }

    /** Adds a layer; a null name gets the default ({@code conv2d1}, {@code dense2}: type and count). */
    public GraphBuilder layer(String name, LayerOptions options) {
        layers.add(new Pending(name, options));
        return this;
    }

    private Pending lastLayer(String what) {
        if (layers.isEmpty()) {
            throw new IllegalStateException(what + " applies to the layer added last, and there is none yet");
        }
        return layers.get(layers.size() - 1);
    }

    public GraphBuilder activation(Activation f) {
        lastLayer("activation").activation = f;
        return this;
    }

    /** A softmax over the last axis after the last-added layer. */
    public GraphBuilder softmax() {
        lastLayer("softmax").softmax = true;
        return this;
    }

    /** The layers the last-added layer reads, by name; {@code "input"} is the network's input. */
    public GraphBuilder from(String... names) {
        lastLayer("from").from = List.of(names);
        return this;
    }

    public GraphBuilder frozen() {
        lastLayer("frozen").frozen = true;
        return this;
    }

    // ---- one method per layer type, for readable code ----

    public GraphBuilder dense(String name, int units) {
        return layer(name, new DenseOptions(units, true));
    }

    public GraphBuilder conv1d(String name, int outChannels, int kernel, int stride, int padding) {
        return layer(name, ConvOptions.conv1d(outChannels, kernel, stride, padding));
    }

    public GraphBuilder conv2d(String name, int outChannels, int kernel, int stride, int padding) {
        return layer(name, ConvOptions.conv2d(outChannels, kernel, stride, padding));
    }

    public GraphBuilder maxPool2d(int kernel) {
        return layer(null, PoolOptions.max(kernel));
    }

    public GraphBuilder avgPool2d(int kernel) {
        return layer(null, PoolOptions.avg(kernel));
    }

    public GraphBuilder globalAvgPool() {
        return layer(null, new GlobalAvgPoolOptions());
    }

    public GraphBuilder flatten() {
        return layer(null, new FlattenOptions());
    }

    public GraphBuilder batchNorm(String name) {
        return layer(name, BatchNormOptions.defaults());
    }

    public GraphBuilder layerNorm(String name) {
        return layer(name, LayerNormOptions.defaults());
    }

    public GraphBuilder dropout(double p) {
        return layer(null, new DropoutOptions(p));
    }

    public GraphBuilder embedding(String name, int vocabulary, int dim) {
        return layer(name, new EmbeddingOptions(vocabulary, dim));
    }

    public GraphBuilder positionEmbedding(String name) {
        return layer(name, new PositionEmbeddingOptions());
    }

    public GraphBuilder recurrent(String name, RecurrentOptions.Cell cell, int hidden, boolean returnSequence) {
        return layer(name, new RecurrentOptions(cell, hidden, returnSequence, true));
    }

    public GraphBuilder attention(String name, int heads, boolean causal) {
        return layer(name, new AttentionOptions(heads, 0, causal, true));
    }

    public GraphBuilder add(String name, String... from) {
        return layer(name, new AddOptions()).from(from);
    }

    public GraphBuilder concat(String name, String... from) {
        return layer(name, new ConcatOptions()).from(from);
    }

    // ---- loss ----

    public GraphBuilder loss(LossOptions loss) {
        this.loss = loss;
        return this;
    }

    public GraphBuilder mean() {
        this.mean = true;
        return this;
    }

    public GraphBuilder sum() {
        this.mean = false;
        return this;
    }

    /** λ/(2m) Σ θ² over weights (and biases and normalisation affine parameters when {@code biases}). */
    public GraphBuilder l2(double lambda, boolean biases) {
        if (!(lambda >= 0 && Double.isFinite(lambda))) {
            throw new LayerOptionException("loss.l2", "l2 must be a number >= 0, got " + lambda);
        }
        this.lambda = lambda;
        this.l2Biases = biases;
        return this;
    }

    public GraphNetwork build() {
        if (input == null) {
            throw new LayerOptionException("network.input", "the network has no input shape");
        }
        if (layers.isEmpty()) {
            throw new LayerOptionException("network.layers", "the network has no layers");
        }
        if (loss == null) {
            throw new LayerOptionException("loss.type", "the network has no loss");
        }
        List<String> names = names();
        Map<String, Integer> index = new HashMap<>();
        index.put("input", -1);
        List<GraphNode> nodes = new ArrayList<>();
        List<GraphLayout.Tensor> tensors = new ArrayList<>();
        boolean[] used = new boolean[layers.size()];
        int offset = 0;
        for (int k = 0; k < layers.size(); k++) {
            Pending p = layers.get(k);
            String name = names.get(k);
            try {
                int[] from = resolve(p, k, index, names);
                List<Shape> shapes = new ArrayList<>();
                List<String> fromNames = new ArrayList<>();
                for (int f : from) {
                    shapes.add(f < 0 ? input : nodes.get(f).shape());
                    fromNames.add(f < 0 ? "input" : names.get(f));
                    if (f >= 0) {
                        used[f] = true;
                    }
                }
                p.options.outputShape(shapes, fromNames);
                Layer layer = Catalogue.create(p.options, shapes);
                checkActivation(p, layer.outputShape());
                GraphNode node = new GraphNode(k, name, p.options, layer, from, p.activation, p.softmax, p.frozen, offset);
                for (var t : layer.parameters()) {
                    tensors.add(new GraphLayout.Tensor(name + "." + t.name(), k + 1, name, t, offset, p.frozen));
                    offset += t.size();
                }
                nodes.add(node);
                index.put(name, k);
            } catch (LayerOptionException e) {
                throw e.layer() > 0 ? e : e.at(k + 1, name);
            }
        }
        for (int k = 0; k < layers.size() - 1; k++) {
            if (!used[k]) {
                throw new LayerOptionException("from", names.get(k) + " is not read by any later layer and is not the last"
                        + " layer: its output would go nowhere").at(k + 1, names.get(k));
            }
        }
        LossHead head = LossHead.of(loss, nodes.get(nodes.size() - 1));
        return new GraphNetwork(input, nodes, new GraphLayout(tensors), head, mean, lambda, l2Biases);
    }

    /** Given names checked, unnamed layers named by type and count: conv2d1, conv2d2, dense1, ... */
    private List<String> names() {
        Set<String> given = new HashSet<>();
        for (int k = 0; k < layers.size(); k++) {
            String n = layers.get(k).name;
            if (n == null) {
                continue;
            }
            LayerOptionException bad = !NAME.matcher(n).matches()
                    ? new LayerOptionException("name", "a layer name is letters, digits and _, not starting with a digit;"
                    + " got '" + n + "'")
                    : n.equals("input") ? new LayerOptionException("name", "'input' names the network's input")
                    : !given.add(n) ? new LayerOptionException("name", "two layers are called " + n) : null;
            if (bad != null) {
                throw bad.at(k + 1, n);
            }
        }
        Map<LayerType, Integer> counts = new EnumMap<>(LayerType.class);
        List<String> names = new ArrayList<>();
        for (int k = 0; k < layers.size(); k++) {
            Pending p = layers.get(k);
            int count = counts.merge(p.options.type(), 1, Integer::sum);
            String n = p.name != null ? p.name : p.options.type().yamlName() + count;
            if (p.name == null && given.contains(n)) {
                throw new LayerOptionException("name", "an unnamed " + p.options.type().yamlName() + " layer would be called "
                        + n + ", which another layer is named: give it a name").at(k + 1, n);
            }
            names.add(n);
        }
        return names;
    }

    private int[] resolve(Pending p, int k, Map<String, Integer> index, List<String> names) {
        if (p.from == null) {
            if (p.options.joins()) {
                throw new LayerOptionException("from", p.options.type().yamlName() + " joins layers: name them with from");
            }
            return new int[] {k - 1};
        }
        if (p.from.isEmpty()) {
            throw new LayerOptionException("from", "from names no layer");
        }
        int[] out = new int[p.from.size()];
        for (int i = 0; i < out.length; i++) {
            Integer f = index.get(p.from.get(i));
            if (f == null) {
                List<String> earlier = new ArrayList<>(List.of("input"));
                earlier.addAll(names.subList(0, k));
                throw new LayerOptionException("from", "from: " + p.from.get(i) + " is not an earlier layer (earlier: "
                        + String.join(", ", earlier) + ")");
            }
            out[i] = f;
        }
        return out;
    }

    private static void checkActivation(Pending p, Shape out) {
        if (p.softmax && p.activation != null) {
            throw new LayerOptionException("activation", "a layer has one activation: softmax or " + p.activation.name());
        }
        if (p.softmax && out.kind() != Shape.Kind.FEATURES && out.kind() != Shape.Kind.SEQUENCE) {
            throw new LayerOptionException("activation", "softmax runs over the last axis of a vector [K] or a sequence"
                    + " [T, K]; this layer gives " + out.describe());
        }
    }
}
