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

    /** {@code network} null: the network is broken, so only what the loss says by itself is checked. */
    static LossSpec read(Field field, NetworkSpec network) throws SpecException {
        Fields map = field.map("type", TYPES, KEYS).allow(KEYS.toArray(String[]::new));
        Field typeField = map.require("type");
        LossType type = LossType.valueOf(typeField.oneOf(TYPES.toArray(String[]::new)).toUpperCase(java.util.Locale.ROOT));
        if (network == null || network.isGraph()) {
            // checked with the graph below, once the loss is whole
        } else if (type == LossType.SOFTMAX_CROSS_ENTROPY || type == LossType.BINARY_CROSS_ENTROPY) {
            String last = network.layers().get(network.layers().size() - 1).activation().name();
            if (type == LossType.SOFTMAX_CROSS_ENTROPY && !last.equals("softmax")) {
                throw typeField.error("softmax_cross_entropy needs a softmax last layer (the loss is -sum y log softmax(z)); "
                        + "the last layer's activation is " + last + ": use softmax");
            }
            if (type == LossType.BINARY_CROSS_ENTROPY && !last.equals("sigmoid")) {
                throw typeField.error("binary_cross_entropy needs outputs in (0, 1); the last layer's activation is "
                        + last + ": use sigmoid");
            }
        }
        Reduction reduction = Reduction.MEAN;
        Field reductionField = map.get("reduction");
        if (reductionField != null) {
            if ("none".equals(reductionField.scalarText())) {
                throw reductionField.error("'none' leaves one loss per example, not a scalar: a gradient needs a scalar "
                        + "loss (PyTorch: \"grad can be implicitly created only for scalar outputs\"); use mean or sum");
            }
            reduction = reductionField.oneOf("mean", "sum").equals("sum") ? Reduction.SUM : Reduction.MEAN;
        }
        double l2 = 0;
        boolean l2Biases = false;
        Field l2Field = map.get("l2");
        if (l2Field != null && l2Field.isMap()) {
            Fields l2Map = l2Field.map().allow("lambda", "biases");
            l2 = l2Map.require("lambda").number("a number >= 0", x -> x >= 0);
            l2Biases = l2Map.has("biases") && l2Map.get("biases").bool();
        } else if (l2Field != null) {
            l2 = l2Field.number("a number >= 0", x -> x >= 0);
        }
        double delta = 1.0;
        if (map.has("delta")) {
            if (type != LossType.HUBER) {
                throw map.keyError("delta", "delta is Huber's threshold: it applies only to type: huber");
            }
            delta = map.get("delta").number("a number > 0", x -> x > 0);
        }
        Reduction steps = Reduction.MEAN;
        if (map.has("steps")) {
            steps = map.get("steps").oneOf("mean", "sum").equals("sum") ? Reduction.SUM : Reduction.MEAN;
        }
        LossSpec loss = new LossSpec(type, reduction, l2, l2Biases, delta, steps);
        if (network != null && network.isGraph()) {
            GraphSpec g = network.graph();
            int last = g.layers().size();
            try {
                GraphPlan.checkLoss(loss.graphOptions(), g.output(), g.layers().get(last - 1).softmax(), g.name(last));
            } catch (LayerOptionException e) {
                throw typeField.error(e.getMessage());
            }
            if (map.has("steps") && g.output().kind() != dev.gradproof.spec.layers.Shape.Kind.SEQUENCE) {
                throw map.keyError("steps", "steps applies to a sequence output [T, K]; the last layer gives "
                        + g.output().describe());
            }
        }
        return loss;
    }
}
