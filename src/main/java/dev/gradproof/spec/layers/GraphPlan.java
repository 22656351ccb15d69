package dev.gradproof.spec.layers;

import static org.apiguardian.api.API.Status.INTERNAL;

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
 * A layer graph's structure, worked out from its options alone: every layer's name (given, or its type and
 * count: {@code conv2d1}, {@code dense2}), what it reads ({@code from:}, else the layer before), the
 * shapes along the way, and whether the loss suits the last layer. The one place these rules live: the
 * spec loader runs it to refuse a bad graph with file and line, the network builder to build a good one.
 * Every refusal is a {@link LayerOptionException} naming the layer and the option.
 *
 * @param names  per layer
 * @param from   per layer, the indices it reads (-1: the network's input)
 * @param inputs per layer, the shapes it reads
 * @param shapes per layer, the shape it gives
 */
@API(status = INTERNAL, since = "0.2")
public record GraphPlan(Shape input, List<String> names, List<int[]> from, List<List<Shape>> inputs, List<Shape> shapes) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * One layer as written.
     *
     * @param name       null for the default name
     * @param from       null for the layer before
     * @param softmax    whether a softmax follows it
     * @param activation its elementwise activation's name, or null
     */
    public record Layer(String name, LayerOptions options, List<String> from, boolean softmax, String activation) {
    }

    public static GraphPlan of(Shape input, List<Layer> layers) {
        if (input == null) {
            throw new LayerOptionException("network.input", "the network has no input shape");
        }
        if (layers.isEmpty()) {
            throw new LayerOptionException("network.layers", "the network has no layers");
        }
        List<String> names = names(layers);
        Map<String, Integer> index = new HashMap<>();
        index.put("input", -1);
        List<int[]> froms = new ArrayList<>();
        List<List<Shape>> ins = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        boolean[] used = new boolean[layers.size()];
        for (int k = 0; k < layers.size(); k++) {
            Layer p = layers.get(k);
            try {
                int[] from = resolve(p, k, index, names);
                List<Shape> in = new ArrayList<>();
                List<String> fromNames = new ArrayList<>();
                for (int f : from) {
                    in.add(f < 0 ? input : shapes.get(f));
                    fromNames.add(f < 0 ? "input" : names.get(f));
                    if (f >= 0) {
                        used[f] = true;
                    }
                }
                Shape out = p.options().outputShape(in, fromNames);
                checkActivation(p, out);
                froms.add(from);
                ins.add(List.copyOf(in));
                shapes.add(out);
                index.put(names.get(k), k);
            } catch (LayerOptionException e) {
                throw e.layer() > 0 ? e : e.at(k + 1, names.get(k));
            }
        }
        for (int k = 0; k < layers.size() - 1; k++) {
            if (!used[k]) {
                throw new LayerOptionException("from", names.get(k) + " is not read by any later layer and is not the last"
                        + " layer: its output would go nowhere").at(k + 1, names.get(k));
            }
        }
        return new GraphPlan(input, List.copyOf(names), List.copyOf(froms), List.copyOf(ins), List.copyOf(shapes));
    }

    /**
     * Whether the loss can read the last layer's output: a loss over classes needs a vector or a sequence,
     * softmax cross-entropy a softmax on the last layer.
     */
    public static void checkLoss(LossOptions loss, Shape last, boolean lastSoftmax, String lastName) {
        if (loss.kind().classes() && last.kind() != Shape.Kind.FEATURES && last.kind() != Shape.Kind.SEQUENCE) {
            throw new LayerOptionException("loss.type", loss.kind().yamlName() + " reads classes from a vector [K] or a"
                    + " sequence [T, K]; the last layer gives " + last.describe() + ": flatten it first");
        }
        if (loss.kind() == LossOptions.Kind.SOFTMAX_CROSS_ENTROPY && !lastSoftmax) {
            throw new LayerOptionException("loss.type", "softmax_cross_entropy needs a softmax on the last layer"
                    + " (activation: softmax on " + lastName + ")");
        }
    }

    /** Given names checked, unnamed layers named by type and count: conv2d1, conv2d2, dense1, ... */
    private static List<String> names(List<Layer> layers) {
        Set<String> given = new HashSet<>();
        for (int k = 0; k < layers.size(); k++) {
            String n = layers.get(k).name();
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
            Layer p = layers.get(k);
            int count = counts.merge(p.options().type(), 1, Integer::sum);
            String n = p.name() != null ? p.name() : p.options().type().yamlName() + count;
            if (p.name() == null && given.contains(n)) {
                throw new LayerOptionException("name", "an unnamed " + p.options().type().yamlName() + " layer would be called "
                        + n + ", which another layer is named: give it a name").at(k + 1, n);
            }
            names.add(n);
        }
        return names;
    }

    private static int[] resolve(Layer p, int k, Map<String, Integer> index, List<String> names) {
        if (p.from() == null) {
            if (p.options().joins()) {
                throw new LayerOptionException("from", p.options().type().yamlName() + " joins layers: name them with from");
            }
            return new int[] {k - 1};
        }
        if (p.from().isEmpty()) {
            throw new LayerOptionException("from", "from names no layer");
        }
        int[] out = new int[p.from().size()];
        for (int i = 0; i < out.length; i++) {
            Integer f = index.get(p.from().get(i));
            if (f == null) {
                List<String> earlier = new ArrayList<>(List.of("input"));
                earlier.addAll(names.subList(0, k));
                throw new LayerOptionException("from", "from: " + p.from().get(i) + " is not an earlier layer (earlier: "
                        + String.join(", ", earlier) + ")");
            }
            out[i] = f;
        }
        return out;
    }

    private static void checkActivation(Layer p, Shape out) {
        if (p.softmax() && p.activation() != null) {
            throw new LayerOptionException("activation", "a layer has one activation: softmax or " + p.activation());
        }
        if (p.softmax() && out.kind() != Shape.Kind.FEATURES && out.kind() != Shape.Kind.SEQUENCE) {
            throw new LayerOptionException("activation", "softmax runs over the last axis of a vector [K] or a sequence"
                    + " [T, K]; this layer gives " + out.describe());
        }
    }
}
