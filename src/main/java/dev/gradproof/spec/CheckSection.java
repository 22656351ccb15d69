package dev.gradproof.spec;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code check: {trials, oracles, tolerance, parameters, shrink_units, mode, directions, layers}}. */
final class CheckSection {

    private CheckSection() {
    }

    static CheckSpec read(Field field, Limits limits) throws SpecException {
        List<String> keys = List.of("trials", "oracles", "tolerance", "parameters", "shrink_units", "mode", "directions",
                "layers");
        Fields map = field.map(keys).allow(keys.toArray(String[]::new));
        CheckSpec defaults = CheckSpec.defaults();
        int trials = map.has("trials") ? (int) map.get("trials").count(limits.maxTrials(),
                n -> Limits.exceeds(n + " trials", limits.maxTrials(), Limits.TRIALS_OPTION)) : defaults.trials();
        Set<String> oracles = defaults.oracles();
        if (map.has("oracles")) {
            Field oraclesField = map.get("oracles");
            String wanted = "a non-empty list of " + CheckSpec.EXACT + ", " + CheckSpec.FINITE_DIFFERENCE;
            oracles = new LinkedHashSet<>();
            for (Field item : oraclesField.list(wanted)) {
                if (!oracles.add(item.oneOf(CheckSpec.EXACT, CheckSpec.FINITE_DIFFERENCE))) {
                    throw item.error(Scalars.quote(item.scalarText()) + " is listed twice");
                }
            }
            if (oracles.isEmpty()) {
                throw oraclesField.error("expected " + wanted + ", got an empty list");
            }
        }
        Double tolerance = null;
        Field toleranceField = map.get("tolerance");
        if (toleranceField != null && !"auto".equals(toleranceField.scalarText())) {
            tolerance = toleranceField.number("auto or a number > 0", x -> x > 0);
            if (!(tolerance < 1)) {
                throw toleranceField.error("a relative tolerance of " + toleranceField.scalarText() + " cannot fail: with"
                        + " 1 or more, an analytic gradient of 0 (or of twice the exact value) agrees with any exact"
                        + " gradient. Use auto (derived from rounding, docs/TOLERANCE.md) or a number below 1, such as 1e-6");
            }
        }
        int parameters = 0;
        Field parametersField = map.get("parameters");
        if (parametersField != null && !"all".equals(parametersField.scalarText())) {
            if (parametersField.integer("all or a positive integer").signum() <= 0) {
                throw parametersField.error("expected all or a positive integer, got " + parametersField.describe());
            }
            parameters = parametersField.positiveInt();
        }
        Field shrinkField = map.get("shrink_units");
        boolean shrinkUnits = shrinkField != null && shrinkField.bool();
        String mode = map.has("mode") ? map.get("mode").oneOf("exhaustive", "directional") : "exhaustive";
        int directions = 0;
        if (map.has("directions")) {
            if (!mode.equals("directional")) {
                throw map.keyError("directions", "directions applies only to mode: directional (mode is " + mode + ")");
            }
            directions = (int) map.get("directions").count(limits.maxDirections(),
                    n -> Limits.exceeds(n + " directions", limits.maxDirections(), Limits.DIRECTIONS_OPTION));
        } else if (mode.equals("directional")) {
            directions = 8;
        }
        Set<Integer> layers = new LinkedHashSet<>();
        if (map.has("layers") && directions > 0) {
            throw map.keyError("layers", "layers applies only to mode: exhaustive (directions span every layer)");
        }
        if (map.has("layers")) {
            Field layersField = map.get("layers");
            List<Field> items = layersField.list("a non-empty list of layer numbers (from 1)");
            if (items.isEmpty()) {
                throw layersField.error("expected a non-empty list of layer numbers (from 1), got an empty list");
            }
            for (Field item : items) {
                if (!layers.add(item.positiveInt())) {
                    throw item.error("layer " + item.scalarText() + " is listed twice");
                }
            }
        }
        return new CheckSpec(trials, oracles, tolerance, parameters, shrinkUnits, directions, layers);
    }
}
