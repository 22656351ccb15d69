package dev.gradproof.spec;

import dev.gradproof.spec.LossSpec.LossType;
import dev.gradproof.spec.LossSpec.Reduction;
import dev.gradproof.spec.layers.GraphPlan;
import dev.gradproof.spec.layers.LayerOptionException;

import java.util.Arrays;
import java.util.List;

/**
 * {@code loss: {type, reduction, l2, delta, steps}}, checked against the network's last layer. The dense
 * chain's four losses are checked against its last activation; the layer-graph engine's (l1, huber,
 * hinge, kl_divergence, and any loss of a graph) against the last layer's shape and softmax.
 */
final class LossSection {

    private LossSection() {
    }

    private static final List<String> KEYS = List.of("type", "reduction", "l2", "delta", "steps");
    static final List<String> TYPES = Arrays.stream(LossType.values()).map(LossType::yamlName).toList();

    private record L2(double lambda, boolean biases) {
    }

    /**
     * {@code network} null: the network is broken, so only what the loss says by itself is checked. Each
     * key is read on its own, so all of their problems are reported; delta needs the type.
     */
    static LossSpec read(Field field, NetworkSpec network) throws SpecException {
        Fields map = field.map("type", TYPES, KEYS);
        Problems problems = new Problems();
        problems.check(() -> map.allow(KEYS.toArray(String[]::new)));
        LossType type = problems.read(() -> type(map.require("type"), network));
        Reduction reduction = problems.read(() -> reduction(map.get("reduction")));
        L2 l2 = problems.read(() -> l2(map.get("l2")));
        Double delta = type == null ? null : problems.read(() -> delta(map, type));
        Reduction steps = problems.read(() -> map.has("steps") ? sum(map.get("steps")) : Reduction.MEAN);
        problems.throwIfAny();
        LossSpec loss = new LossSpec(type, reduction, l2.lambda(), l2.biases(), delta, steps);
        if (network != null && network.isGraph()) {
            GraphSpec g = network.graph();
            int last = g.layers().size();
            try {
                GraphPlan.checkLoss(loss.graphOptions(), g.output(), g.layers().get(last - 1).softmax(), g.name(last));
            } catch (LayerOptionException e) {
                throw map.get("type").error(e.getMessage());
            }
            if (map.has("steps") && g.output().kind() != dev.gradproof.spec.layers.Shape.Kind.SEQUENCE) {
                throw map.keyError("steps", "steps applies to a sequence output [T, K]; the last layer gives "
                        + g.output().describe());
            }
        }
        return loss;
    }

    /** The type, checked against a dense chain's last activation (a graph's is checked once the loss is whole). */
    private static LossType type(Field typeField, NetworkSpec network) throws SpecException {
        LossType type = LossType.valueOf(typeField.oneOf(TYPES.toArray(String[]::new)).toUpperCase(java.util.Locale.ROOT));
        if (network == null || network.isGraph()) {
            return type;
        }
        String last = network.layers().get(network.layers().size() - 1).activation().name();
        if (type == LossType.SOFTMAX_CROSS_ENTROPY && !last.equals("softmax")) {
            throw typeField.error("softmax_cross_entropy needs a softmax last layer (the loss is -sum y log softmax(z)); "
                    + "the last layer's activation is " + last + ": use softmax");
        }
        if (type == LossType.BINARY_CROSS_ENTROPY && !last.equals("sigmoid")) {
            throw typeField.error("binary_cross_entropy needs outputs in (0, 1); the last layer's activation is "
                    + last + ": use sigmoid");
        }
        return type;
    }

    private static Reduction reduction(Field reductionField) throws SpecException {
        if (reductionField == null) {
            return Reduction.MEAN;
        }
        if ("none".equals(reductionField.scalarText())) {
            throw reductionField.error("'none' leaves one loss per example, not a scalar: a gradient needs a scalar "
                    + "loss (PyTorch: \"grad can be implicitly created only for scalar outputs\"); use mean or sum");
        }
        return sum(reductionField);
    }

    private static Reduction sum(Field field) throws SpecException {
        return field.oneOf("mean", "sum").equals("sum") ? Reduction.SUM : Reduction.MEAN;
    }

    private static L2 l2(Field l2Field) throws SpecException {
        if (l2Field == null) {
            return new L2(0, false);
        }
        if (l2Field.isMap()) {
            Fields l2Map = l2Field.map().allow("lambda", "biases");
            return new L2(l2Map.require("lambda").number("a number >= 0", x -> x >= 0),
                    l2Map.has("biases") && l2Map.get("biases").bool());
        }
        return new L2(l2Field.number("a number >= 0", x -> x >= 0), false);
    }

    private static double delta(Fields map, LossType type) throws SpecException {
        if (!map.has("delta")) {
            return 1.0;
        }
        if (type != LossType.HUBER) {
            throw map.keyError("delta", "delta is Huber's threshold: it applies only to type: huber");
        }
        return map.get("delta").number("a number > 0", x -> x > 0);
    }
}
