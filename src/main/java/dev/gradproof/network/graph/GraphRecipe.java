package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.TrialRecipe;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.apiguardian.api.API;

/**
 * How to draw one trial of a layer graph again: its seed, its batch, and the widths and sequence length
 * a shrunk counterexample narrowed. Written {@code seed=-42 examples=2 steps=3 widths=conv1:2,fc1:4}.
 *
 * @param examples batch size, or 0 for the spec's
 * @param widths   layer name → width (units, out_channels, hidden), for narrowed layers
 * @param steps    sequence length, or 0 for the spec's
 */
@API(status = INTERNAL, since = "0.2")
public record GraphRecipe(long seed, int examples, Map<String, Integer> widths, int steps) {

    public GraphRecipe {
        widths = java.util.Collections.unmodifiableMap(new TreeMap<>(widths));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("seed=").append(seed);
        if (examples > 0) {
            sb.append(" examples=").append(examples);
        }
        if (steps > 0) {
            sb.append(" steps=").append(steps);
        }
        if (!widths.isEmpty()) {
            sb.append(" widths=");
            String sep = "";
            for (var w : widths.entrySet()) {
                sb.append(sep).append(w.getKey()).append(':').append(w.getValue());
                sep = ",";
            }
        }
        return sb.toString();
    }

    /**
     * Reads what {@link #toString()} writes: {@code seed} required, the rest optional.
     *
     * @throws IllegalArgumentException naming the part that is not understood
     */
    public static GraphRecipe parse(String text) {
        Long seed = null;
        int examples = 0;
        int steps = 0;
        Map<String, Integer> widths = new LinkedHashMap<>();
        for (String[] kv : TrialRecipe.parts(text)) {
            String part = kv[0] + "=" + kv[1];
            try {
                switch (kv[0]) {
                    case "seed" -> seed = Long.parseLong(kv[1]);
                    case "examples" -> examples = positive(kv[1], part);
                    case "steps" -> steps = positive(kv[1], part);
                    case "widths" -> {
                        for (String w : kv[1].split(",")) {
                            String[] lw = w.split(":", 2);
                            if (lw.length != 2 || lw[0].isEmpty()) {
                                throw new IllegalArgumentException("trial recipe: expected layer:width, got '" + w
                                        + "' in '" + part + "'");
                            }
                            widths.put(lw[0], positive(lw[1], part));
                        }
                    }
                    default -> throw new IllegalArgumentException("trial recipe: unknown key '" + kv[0]
                            + "' (a layer graph's recipe has seed, examples, steps, widths)");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("trial recipe: '" + kv[1] + "' is not a number in '" + part + "'");
            }
        }
        if (seed == null) {
            throw new IllegalArgumentException("trial recipe needs a seed, got '" + text + "'");
        }
        return new GraphRecipe(seed, examples, widths, steps);
    }

    private static int positive(String text, String part) {
        int n = Integer.parseInt(text);
        if (n < 1) {
            throw new IllegalArgumentException("trial recipe: " + n + " is not a positive count in '" + part + "'");
        }
        return n;
    }

    /** The same recipe with one layer narrowed to {@code width}. */
    public GraphRecipe withWidth(String layer, int width) {
        Map<String, Integer> w = new LinkedHashMap<>(widths);
        w.put(layer, width);
        return new GraphRecipe(seed, examples, w, steps);
    }
}
