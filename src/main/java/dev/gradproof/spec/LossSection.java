package dev.gradproof.spec;

import dev.gradproof.spec.LossSpec.LossType;
import dev.gradproof.spec.LossSpec.Reduction;

/** {@code loss: {type, reduction, l2}}, checked against the network's last activation. */
final class LossSection {

    private LossSection() {
    }

    static LossSpec read(Field field, NetworkSpec network) throws SpecException {
        Fields map = field.map().allow("type", "reduction", "l2");
        Field typeField = map.require("type");
        LossType type = switch (typeField.oneOf("squared_error", "mse", "binary_cross_entropy", "softmax_cross_entropy")) {
            case "squared_error" -> LossType.SQUARED_ERROR;
            case "mse" -> LossType.MSE;
            case "binary_cross_entropy" -> LossType.BINARY_CROSS_ENTROPY;
            default -> LossType.SOFTMAX_CROSS_ENTROPY;
        };
        String last = network.layers().get(network.layers().size() - 1).activation().name();
        if (type == LossType.SOFTMAX_CROSS_ENTROPY && !last.equals("softmax")) {
            throw typeField.error("softmax_cross_entropy needs a softmax last layer (the loss is -sum y log softmax(z)); "
                    + "the last layer's activation is " + last + ": use softmax");
        }
        if (type == LossType.BINARY_CROSS_ENTROPY && !last.equals("sigmoid")) {
            throw typeField.error("binary_cross_entropy needs outputs in (0, 1); the last layer's activation is "
                    + last + ": use sigmoid");
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
        return new LossSpec(type, reduction, l2, l2Biases);
    }
}
