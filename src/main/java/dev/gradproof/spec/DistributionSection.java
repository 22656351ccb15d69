package dev.gradproof.spec;

import java.util.ArrayList;
import java.util.List;

import dev.gradproof.spec.DataSpec.Targets;
import dev.gradproof.spec.LossSpec.LossType;

/** Random inputs ({@code data.inputs}) and targets ({@code data.targets}) and whether targets suit the loss. */
final class DistributionSection {

    private DistributionSection() {
    }

    static Distribution inputs(Field field) throws SpecException {
        return distribution(field, field.map(), true);
    }

    static Targets targets(Field field) throws SpecException {
        if (!field.isMap()) {
            String kind = field.oneOf("one_hot", "binary", "real");
            return new Targets(kind, kind.equals("real") ? Distribution.normal(0, 1) : null, 0);
        }
        Fields map = field.map();
        if (map.has("constant")) {
            map.allow("constant");
            return new Targets("constant", null, map.get("constant").number());
        }
        return new Targets("real", distribution(field, map, false), 0);
    }

    static Targets defaultTargets(LossType type) {
        return switch (type) {
            case SOFTMAX_CROSS_ENTROPY, HINGE, KL_DIVERGENCE -> new Targets("one_hot", null, 0);
            case BINARY_CROSS_ENTROPY -> new Targets("binary", null, 0);
            default -> new Targets("real", Distribution.normal(0, 1), 0);
        };
    }

    /** softmax cross-entropy needs rows that sum to 1; binary cross-entropy needs values in [0, 1]. */
    static void checkSuits(Field field, Targets targets, LossType type) throws SpecException {
        String kind = targets.kind();
        if ((type == LossType.SOFTMAX_CROSS_ENTROPY || type == LossType.HINGE || type == LossType.KL_DIVERGENCE)
                && !kind.equals("one_hot")) {
            throw field.error(type.yamlName() + " needs one_hot targets (a class per example, or per step of a"
                    + " sequence), got " + kind);
        }
        if (type != LossType.BINARY_CROSS_ENTROPY) {
            return;
        }
        if (kind.equals("constant") && (targets.value() < 0 || targets.value() > 1)) {
            throw field.error("binary_cross_entropy needs targets in [0, 1]; the constant " + targets.value()
                    + " is outside it");
        }
        Distribution d = targets.distribution();
        if (kind.equals("real") && !(d.kind().equals("uniform") && d.a() >= 0 && d.b() <= 1)) {
            throw field.error("binary_cross_entropy needs targets in [0, 1]; real targets from " + d.describe()
                    + " fall outside it: use binary, or uniform with 0 <= low < high <= 1");
        }
    }

    private static Distribution distribution(Field field, Fields map, boolean inputs) throws SpecException {
        String kind = map.has("distribution") ? map.get("distribution").oneOf("normal", "uniform") : "normal";
        List<String> keys = new ArrayList<>(kind.equals("normal")
                ? List.of("distribution", "mean", "std") : List.of("distribution", "low", "high"));
        if (inputs) {
            keys.add("zeros");
        }
        map.allow(keys.toArray(String[]::new));
        double zeros = map.has("zeros") ? map.get("zeros").number("a number between 0 and 1", x -> x >= 0 && x <= 1) : 0;
        if (kind.equals("normal")) {
            double mean = map.has("mean") ? map.get("mean").number() : 0;
            double std = map.has("std") ? map.get("std").number("a number > 0", x -> x > 0) : 1;
            return new Distribution(kind, mean, std, zeros);
        }
        Field lowField = map.require("low");
        Field highField = map.require("high");
        double low = lowField.number();
        double high = highField.number("a number greater than low (" + lowField.scalarText() + ")", x -> x > low);
        return new Distribution(kind, low, high, zeros);
    }
}
