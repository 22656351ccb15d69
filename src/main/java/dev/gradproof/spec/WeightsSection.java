package dev.gradproof.spec;

import java.util.List;

/** {@code weights: {init, std, low, high, biases}}. */
final class WeightsSection {

    private static final List<String> KEYS = List.of("init", "std", "low", "high", "biases");
    private static final String[] INITS = {"normal", "uniform", "xavier", "he"};

    private WeightsSection() {
    }

    static WeightSpec defaults() {
        return new WeightSpec("xavier", 0.1, -0.12, 0.12, "same");
    }

    private record Draw(double std, double low, double high) {
    }

    /** init and biases are read on their own, so both problems are reported; std, low and high need the init. */
    static WeightSpec read(Field field) throws SpecException {
        Fields map = field.map("init", List.of(INITS), KEYS);
        Problems problems = new Problems();
        problems.check(() -> map.allow(KEYS.toArray(String[]::new)));
        String init = map.has("init") ? problems.read(() -> map.get("init").oneOf(INITS)) : "xavier";
        Draw draw = init == null ? null : problems.read(() -> draw(map, init));
        String biases = map.has("biases") ? problems.read(() -> map.get("biases").oneOf("same", "zero")) : "same";
        problems.throwIfAny();
        return new WeightSpec(init, draw.std(), draw.low(), draw.high(), biases);
    }

    private static Draw draw(Fields map, String init) throws SpecException {
        // An option the chosen init ignores is almost always a mistake (e.g. std with the default xavier).
        for (String key : new String[] {"std", "low", "high"}) {
            String owner = key.equals("std") ? "normal" : "uniform";
            if (map.has(key) && !init.equals(owner)) {
                throw map.keyError(key, key + " applies only to init: " + owner + " (init is " + init + ")");
            }
        }
        double std = map.has("std") ? map.get("std").number("a number > 0", x -> x > 0) : 0.1;
        Field lowField = map.get("low");
        Field highField = map.get("high");
        double low = lowField == null ? -0.12 : lowField.number();
        double high;
        if (highField != null) {
            String lowText = lowField == null ? "-0.12" : lowField.scalarText();
            high = highField.number("a number greater than low (" + lowText + ")", x -> x > low);
        } else {
            high = 0.12;
            if (low >= high) {
                throw lowField.error("expected a number less than high (0.12), got " + lowField.describe());
            }
        }
        return new Draw(std, low, high);
    }
}
