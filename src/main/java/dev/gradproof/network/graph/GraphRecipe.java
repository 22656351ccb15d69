package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

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

    /** The same recipe with one layer narrowed to {@code width}. */
    public GraphRecipe withWidth(String layer, int width) {
        Map<String, Integer> w = new LinkedHashMap<>(widths);
        w.put(layer, width);
        return new GraphRecipe(seed, examples, w, steps);
    }
}
