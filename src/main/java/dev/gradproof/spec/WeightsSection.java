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

    static WeightSpec read(Field field) throws SpecException {
        Fields map = field.map("init", List.of(INITS), KEYS).allow(KEYS.toArray(String[]::new));
        String init = map.has("init") ? map.get("init").oneOf(INITS) : "xavier";
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
        String biases = map.has("biases") ? map.get("biases").oneOf("same", "zero") : "same";
        return new WeightSpec(init, std, low, high, biases);
    }
}
