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
import dev.gradproof.spec.layers.GraphPlan;
import dev.gradproof.spec.layers.GlobalAvgPoolOptions;
import dev.gradproof.spec.layers.LayerNormOptions;
import dev.gradproof.spec.layers.LayerOptionException;
import dev.gradproof.spec.layers.LayerOptions;
import dev.gradproof.spec.layers.LossOptions;
import dev.gradproof.spec.layers.PoolOptions;
import dev.gradproof.spec.layers.PositionEmbeddingOptions;
import dev.gradproof.spec.layers.RecurrentOptions;
import dev.gradproof.spec.layers.Shape;

import java.util.ArrayList;
import java.util.List;
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
        if (loss == null && input != null && !layers.isEmpty()) {
            throw new LayerOptionException("loss.type", "the network has no loss");
        }
        List<GraphPlan.Layer> planned = new ArrayList<>();
        for (Pending p : layers) {
            planned.add(new GraphPlan.Layer(p.name, p.options, p.from, p.softmax,
                    p.activation == null ? null : p.activation.name()));
        }
        GraphPlan plan = GraphPlan.of(input, planned);
        if (loss == null) {
            throw new LayerOptionException("loss.type", "the network has no loss");
        }
        List<GraphNode> nodes = new ArrayList<>();
        List<GraphLayout.Tensor> tensors = new ArrayList<>();
        int offset = 0;
        for (int k = 0; k < layers.size(); k++) {
            Pending p = layers.get(k);
            String name = plan.names().get(k);
            try {
                Layer layer = Catalogue.create(p.options, plan.inputs().get(k));
                GraphNode node = new GraphNode(k, name, p.options, layer, plan.from().get(k), p.activation, p.softmax,
                        p.frozen, offset);
                for (var t : layer.parameters()) {
                    tensors.add(new GraphLayout.Tensor(name + "." + t.name(), k + 1, name, t, offset, p.frozen));
                    offset += t.size();
                }
                nodes.add(node);
            } catch (LayerOptionException e) {
                throw e.layer() > 0 ? e : e.at(k + 1, name);
            }
        }
        LossHead head = LossHead.of(loss, nodes.get(nodes.size() - 1));
        return new GraphNetwork(input, nodes, new GraphLayout(tensors), head, mean, lambda, l2Biases);
    }
}
