package dev.gradproof.spec;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code check: {trials, oracles, tolerance, parameters, shrink_units, mode, directions, layers}}. */
final class CheckSection {

    private CheckSection() {
    }

    private static final List<String> KEYS = List.of("trials", "oracles", "tolerance", "parameters", "shrink_units",
            "mode", "directions", "layers");

    /** Each key is read on its own, so all of their problems are reported; directions and layers need the mode. */
    static CheckSpec read(Field field, Limits limits) throws SpecException {
        Fields map = field.map(KEYS);
        Problems problems = new Problems();
        problems.check(() -> map.allow(KEYS.toArray(String[]::new)));
        CheckSpec defaults = CheckSpec.defaults();
        Integer trials = map.has("trials") ? problems.read(() -> (int) map.get("trials").count(limits.maxTrials(),
                n -> Limits.exceeds(n + " trials", limits.maxTrials(), Limits.TRIALS_OPTION))) : defaults.trials();
        Set<String> oracles = map.has("oracles") ? problems.read(() -> oracles(map.get("oracles"))) : defaults.oracles();
        Optional<Double> tolerance = problems.read(() -> tolerance(map.get("tolerance")));
        Integer parameters = problems.read(() -> parameters(map.get("parameters")));
        Boolean shrinkUnits = problems.read(() -> map.has("shrink_units") && map.get("shrink_units").bool());
        String mode = map.has("mode") ? problems.read(() -> map.get("mode").oneOf("exhaustive", "directional")) : "exhaustive";
        Integer directions = mode == null ? null : problems.read(() -> directions(map, mode, limits));
        Set<Integer> layers = directions == null ? null : problems.read(() -> layers(map, directions));
        problems.throwIfAny();
        return new CheckSpec(trials, oracles, tolerance.orElse(null), parameters, shrinkUnits, directions, layers);
    }

    private static Set<String> oracles(Field oraclesField) throws SpecException {
        String wanted = "a non-empty list of " + CheckSpec.EXACT + ", " + CheckSpec.FINITE_DIFFERENCE;
        Set<String> oracles = new LinkedHashSet<>();
        for (Field item : oraclesField.list(wanted)) {
            if (!oracles.add(item.oneOf(CheckSpec.EXACT, CheckSpec.FINITE_DIFFERENCE))) {
                throw item.error(Scalars.quote(item.scalarText()) + " is listed twice");
            }
        }
        if (oracles.isEmpty()) {
            throw oraclesField.error("expected " + wanted + ", got an empty list");
        }
        return oracles;
    }

    /** Empty for auto (the default). */
    private static Optional<Double> tolerance(Field toleranceField) throws SpecException {
        if (toleranceField == null || "auto".equals(toleranceField.scalarText())) {
            return Optional.empty();
        }
        double tolerance = toleranceField.number("auto or a number > 0", x -> x > 0);
        if (!(tolerance < 1)) {
            throw toleranceField.error("a relative tolerance of " + toleranceField.scalarText() + " cannot fail: with"
                    + " 1 or more, an analytic gradient of 0 (or of twice the exact value) agrees with any exact"
                    + " gradient. Use auto (derived from rounding, docs/TOLERANCE.md) or a number below 1, such as 1e-6");
        }
        return Optional.of(tolerance);
    }

    /** 0 for all (the default). */
    private static int parameters(Field parametersField) throws SpecException {
        if (parametersField == null || "all".equals(parametersField.scalarText())) {
            return 0;
        }
        if (parametersField.integer("all or a positive integer").signum() <= 0) {
            throw parametersField.error("expected all or a positive integer, got " + parametersField.describe());
        }
        return parametersField.positiveInt();
    }

    /** 0 in exhaustive mode. */
    private static int directions(Fields map, String mode, Limits limits) throws SpecException {
        if (map.has("directions")) {
            if (!mode.equals("directional")) {
                throw map.keyError("directions", "directions applies only to mode: directional (mode is " + mode + ")");
            }
            return (int) map.get("directions").count(limits.maxDirections(),
                    n -> Limits.exceeds(n + " directions", limits.maxDirections(), Limits.DIRECTIONS_OPTION));
        }
        return mode.equals("directional") ? 8 : 0;
    }

    private static Set<Integer> layers(Fields map, int directions) throws SpecException {
        Set<Integer> layers = new LinkedHashSet<>();
        if (!map.has("layers")) {
            return layers;
        }
        if (directions > 0) {
            throw map.keyError("layers", "layers applies only to mode: exhaustive (directions span every layer)");
        }
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
        return layers;
    }
}
