package dev.gradproof.spec;

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
import dev.gradproof.spec.layers.GraphPlan;
import dev.gradproof.spec.layers.LayerNormOptions;
import dev.gradproof.spec.layers.LayerOptionException;
import dev.gradproof.spec.layers.LayerOptions;
import dev.gradproof.spec.layers.LayerType;
import dev.gradproof.spec.layers.PoolOptions;
import dev.gradproof.spec.layers.PositionEmbeddingOptions;
import dev.gradproof.spec.layers.RecurrentOptions;
import dev.gradproof.spec.layers.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code network} as a layer graph: {@code input} (a shape) and {@code layers} of any {@code type}
 * (default {@code dense}), each with an optional {@code name}, {@code from}, {@code activation} and
 * {@code frozen}, and its type's options (docs/LAYERS.md, specs/README.md). Every layer type's options
 * are read by one case below; the shapes are then worked out ({@link GraphPlan}) and any problem is
 * reported at the line of the option it is about.
 */
final class GraphSection {
    private static final String[] COMMON = {"type", "name", "from", "activation", "frozen"};

    private GraphSection() {
    }

    /** Whether a network section needs the graph engine: an input shape, or a layer with a type, name or from. */
    static boolean isGraph(Fields network) throws SpecException {
        if (network.has("input")) {
            return true;
        }
        Field layers = network.get("layers");
        if (layers == null || !layers.isList()) {
            return false;
        }
        for (Field item : layers.list("")) {
            if (item.isMap()) {
                Fields m = item.map();
                if (m.has("type") || m.has("from") || m.has("name")) {
                    return true;
                }
            }
        }
        return false;
    }

    static GraphSpec read(Fields network, Limits limits) throws SpecException {
        if (network.has("inputs") && network.has("input")) {
            throw network.keyError("inputs", "give the input as 'input: [shape]' or 'inputs: N', not both");
        }
        Field layersField = network.require("layers");
        List<Field> items = layersField.list("a non-empty list of layers");
        if (items.isEmpty()) {
            throw layersField.error("expected a non-empty list of layers, got an empty list");
        }
        if (items.size() > limits.maxLayers()) {
            throw layersField.error(String.format(Locale.ROOT,
                    "%,d layers exceed the limit of %,d (raise it with --max-layers)", items.size(), limits.maxLayers()));
        }
        List<GraphSpec.Layer> layers = new ArrayList<>();
        List<Fields> maps = new ArrayList<>();
        Problems problems = new Problems();
        problems.check(() -> network.allow("input", "inputs", "layers"));
        for (Field item : items) {
            Fields map = problems.read(item::map);
            maps.add(map);
            layers.add(map == null ? null : problems.read(() -> layer(map, limits)));
        }
        problems.throwIfAny();
        Shape input = input(network, layers, limits);
        List<GraphPlan.Layer> planned = new ArrayList<>();
        for (GraphSpec.Layer l : layers) {
            planned.add(new GraphPlan.Layer(l.name(), l.options(), l.from(), l.softmax(),
                    l.activation() == null || l.softmax() ? null : l.activation().name()));
        }
        GraphPlan plan;
        try {
            plan = GraphPlan.of(input, planned);
        } catch (LayerOptionException e) {
            throw located(e, network, maps);
        }
        if (layers.stream().allMatch(GraphSpec.Layer::frozen)) {
            throw layersField.error("every layer is frozen, so no parameter is left to check");
        }
        GraphSpec graph = new GraphSpec(input, layers, plan);
        long parameters = graph.parameterCount();
        if (parameters > limits.maxParameters()) {
            throw network.self().error(String.format(Locale.ROOT,
                    "%,d parameters exceed the limit of %,d (raise it with --max-parameters)", parameters,
                    limits.maxParameters()));
        }
        return graph;
    }

    /** A chain of dense layers as a graph, for a loss only the graph engine has. */
    static GraphSpec fromChain(NetworkSpec chain) {
        List<GraphSpec.Layer> layers = new ArrayList<>();
        List<GraphPlan.Layer> planned = new ArrayList<>();
        for (LayerSpec l : chain.layers()) {
            GraphSpec.Layer g = new GraphSpec.Layer(null, new DenseOptions(l.units(), l.bias()), null, l.activation(),
                    l.frozen());
            layers.add(g);
            planned.add(new GraphPlan.Layer(null, g.options(), null, g.softmax(), g.softmax() ? null : l.activation().name()));
        }
        Shape input = Shape.features(chain.inputs());
        return new GraphSpec(input, layers, GraphPlan.of(input, planned));
    }

    /** A refusal from the shape rules, at the line of the option (or the layer, or the input) it is about. */
    static SpecException located(LayerOptionException e, Fields network, List<Fields> maps) {
        String key = e.key();
        if (e.layer() < 1 || e.layer() > maps.size()) {
            Field at = network.has("input") ? network.get("input") : network.self();
            return at.error(e.getMessage());
        }
        Fields layer = maps.get(e.layer() - 1);
        String shown = "layer " + e.layer() + " (" + e.layerName() + "): " + e.getMessage();
        if (key != null && layer.has(key)) {
            return layer.get(key).error(shown);
        }
        if ("input".equals(key) && layer.has("from")) {
            return layer.get("from").error(shown);
        }
        return layer.self().error(shown);
    }

    private static GraphSpec.Layer layer(Fields map, Limits limits) throws SpecException {
        String typeName = map.has("type") ? map.get("type").oneOf(typeNames()) : "dense";
        LayerType type = LayerType.byName(typeName).orElseThrow();
        String name = map.has("name") ? map.get("name").text() : null;
        List<String> from = null;
        if (map.has("from")) {
            Field f = map.get("from");
            from = new ArrayList<>();
            if (f.isList()) {
                for (Field item : f.list("a layer name or a list of them")) {
                    from.add(item.text());
                }
            } else {
                from.add(f.text());
            }
        }
        ActivationSpec activation = map.has("activation") ? ActivationSection.read(map.get("activation")) : null;
        boolean frozen = map.has("frozen") && map.get("frozen").bool();
        LayerOptions options;
        try {
            options = options(type, map, limits);
        } catch (LayerOptionException e) {
            Field at = e.key() != null && map.has(e.key()) ? map.get(e.key()) : map.self();
            throw at.error(e.getMessage());
        }
        return new GraphSpec.Layer(name, options, from, activation, frozen);
    }

    /** One case per layer type: the keys it takes and the options record they make. */
    private static LayerOptions options(LayerType type, Fields m, Limits limits) throws SpecException {
        return switch (type) {
            case DENSE -> {
                allow(m, "units", "bias");
                yield new DenseOptions(count(m.require("units"), limits), bias(m));
            }
            case CONV1D, CONV2D -> {
                allow(m, "out_channels", "kernel", "stride", "padding", "dilation", "bias");
                yield new ConvOptions(type == LayerType.CONV1D ? 1 : 2, count(m.require("out_channels"), limits),
                        ints(m.require("kernel")), ints(m.get("stride")), ints(m.get("padding")), ints(m.get("dilation")),
                        bias(m));
            }
            case MAX_POOL2D, AVG_POOL2D -> {
                allow(m, "kernel", "stride", "padding");
                yield new PoolOptions(type == LayerType.MAX_POOL2D, ints(m.require("kernel")), ints(m.get("stride")),
                        ints(m.get("padding")));
            }
            case GLOBAL_AVG_POOL -> {
                allow(m);
                yield new GlobalAvgPoolOptions();
            }
            case FLATTEN -> {
                allow(m);
                yield new FlattenOptions();
            }
            case BATCH_NORM -> {
                allow(m, "eps", "affine");
                yield new BatchNormOptions(number(m.get("eps"), BatchNormOptions.DEFAULT_EPS), flag(m, "affine", true));
            }
            case LAYER_NORM -> {
                allow(m, "normalized_shape", "eps", "affine");
                yield new LayerNormOptions(ints(m.get("normalized_shape")), number(m.get("eps"), BatchNormOptions.DEFAULT_EPS),
                        flag(m, "affine", true));
            }
            case DROPOUT -> {
                allow(m, "p");
                yield new DropoutOptions(number(m.require("p"), 0));
            }
            case EMBEDDING -> {
                allow(m, "vocabulary", "dim");
                yield new EmbeddingOptions(count(m.require("vocabulary"), limits), count(m.require("dim"), limits));
            }
            case POSITION_EMBEDDING -> {
                allow(m);
                yield new PositionEmbeddingOptions();
            }
            case RNN, LSTM, GRU -> {
                allow(m, "hidden", "return", "bias");
                boolean sequence = !m.has("return") || m.get("return").oneOf("sequence", "last").equals("sequence");
                RecurrentOptions.Cell cell = switch (type) {
                    case RNN -> RecurrentOptions.Cell.RNN;
                    case LSTM -> RecurrentOptions.Cell.LSTM;
                    default -> RecurrentOptions.Cell.GRU;
                };
                yield new RecurrentOptions(cell, count(m.require("hidden"), limits), sequence, bias(m));
            }
            case ATTENTION -> {
                allow(m, "heads", "dim", "causal", "bias");
                yield new AttentionOptions(count(m.require("heads"), limits),
                        m.has("dim") ? count(m.get("dim"), limits) : 0, flag(m, "causal", false), bias(m));
            }
            case ADD -> {
                allow(m);
                yield new AddOptions();
            }
            case CONCAT -> {
                allow(m);
                yield new ConcatOptions();
            }
        };
    }

    /**
     * {@code input: [1, 28, 28]} (1 axis: features, or token ids when an embedding reads them; 2: a sequence
     * [T, F]; 3: channels [C, H, W]), {@code input: {shape: [3, 32], kind: channels}} to say which, or the
     * short {@code inputs: N} for a vector.
     */
    private static Shape input(Fields network, List<GraphSpec.Layer> layers, Limits limits) throws SpecException {
        if (!network.has("input")) {
            int n = (int) network.require("inputs").count(limits.maxUnits(), v -> String.format(Locale.ROOT,
                    "%s inputs exceed the limit of %,d (raise it with --max-units)", v, limits.maxUnits()));
            return firstIsEmbedding(layers) ? Shape.tokens(n) : Shape.features(n);
        }
        Field field = network.get("input");
        Field shapeField = field;
        String kind = null;
        if (field.isMap()) {
            Fields m = field.map().allow("shape", "kind");
            shapeField = m.require("shape");
            kind = m.has("kind") ? m.get("kind").oneOf("features", "sequence", "channels", "tokens") : null;
        }
        int[] dims = ints(shapeField);
        if (dims == null || dims.length == 0 || dims.length > 3) {
            throw shapeField.error("expected a shape of 1 to 3 sizes, such as [1, 28, 28], got " + shapeField.describe());
        }
        long size = 1;
        for (int d : dims) {
            if (d < 1) {
                throw shapeField.error("every size of a shape is a positive integer, got " + Arrays.toString(dims));
            }
            size *= d;
        }
        if (size > limits.maxUnits()) {
            throw shapeField.error(String.format(Locale.ROOT, "an input of %,d values exceeds the limit of %,d (raise it"
                    + " with --max-units)", size, limits.maxUnits()));
        }
        if (kind == null) {
            kind = switch (dims.length) {
                case 1 -> firstIsEmbedding(layers) ? "tokens" : "features";
                case 2 -> "sequence";
                default -> "channels";
            };
        }
        String k = kind;
        int need = switch (k) {
            case "features", "tokens" -> 1;
            case "sequence" -> 2;
            default -> 0;
        };
        if (need != 0 && dims.length != need || k.equals("channels") && dims.length < 2) {
            throw shapeField.error(k + " takes " + (k.equals("channels") ? "2 or 3 sizes ([C, L] or [C, H, W])"
                    : need + (need == 1 ? " size" : " sizes")) + ", got " + Arrays.toString(dims));
        }
        return switch (k) {
            case "features" -> Shape.features(dims[0]);
            case "tokens" -> Shape.tokens(dims[0]);
            case "sequence" -> Shape.sequence(dims[0], dims[1]);
            default -> Shape.channels(dims);
        };
    }

    private static boolean firstIsEmbedding(List<GraphSpec.Layer> layers) {
        return layers.get(0).options().type() == LayerType.EMBEDDING;
    }

    private static String[] typeNames() {
        return Arrays.stream(LayerType.values()).map(LayerType::yamlName).toArray(String[]::new);
    }

    private static void allow(Fields m, String... own) throws SpecException {
        String[] all = Arrays.copyOf(COMMON, COMMON.length + own.length);
        System.arraycopy(own, 0, all, COMMON.length, own.length);
        m.allow(all);
    }

    private static int count(Field f, Limits limits) throws SpecException {
        return (int) f.count(limits.maxUnits(), v -> String.format(Locale.ROOT,
                "%s exceeds the limit of %,d per layer (raise it with --max-units)", v, limits.maxUnits()));
    }

    /** A size per axis: {@code 5} or {@code [3, 5]}; null when absent. */
    private static int[] ints(Field f) throws SpecException {
        if (f == null) {
            return null;
        }
        if (!f.isList()) {
            return new int[] {f.positiveOrZero()};
        }
        List<Field> items = f.list("a number or a list of numbers");
        int[] out = new int[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = items.get(i).positiveOrZero();
        }
        return out;
    }

    private static double number(Field f, double otherwise) throws SpecException {
        return f == null ? otherwise : f.number();
    }

    private static boolean bias(Fields m) throws SpecException {
        return flag(m, "bias", true);
    }

    private static boolean flag(Fields m, String key, boolean otherwise) throws SpecException {
        return m.has(key) ? m.get(key).bool() : otherwise;
    }
}
