package dev.gradproof.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;
import static org.apiguardian.api.API.Status.STABLE;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apiguardian.api.API;

/**
 * Examples: {@code x[n]} the inputs and {@code y[n]} the targets of example n (a layer graph's are
 * flattened row-major). Like the parameters, an implementation reads them and must not modify them.
 *
 * @param masks a layer graph's dropout masks by layer name: {@code masks.get("dropout1")[n]} the
 *              multipliers (0 or 1/(1 − p)) of example n's flattened output; empty without dropout
 */
@API(status = STABLE, since = "0.2")
public record Batch(double[][] x, double[][] y, Map<String, double[][]> masks) {

    public Batch {
        masks = Collections.unmodifiableMap(new LinkedHashMap<>(masks));
    }

    /** Without dropout masks. */
    public Batch(double[][] x, double[][] y) {
        this(x, y, Map.of());
    }

    public int size() {
        return x.length;
    }

    /** The same examples with a layer graph's dropout masks. */
    @API(status = EXPERIMENTAL, since = "0.2")
    public Batch withMasks(Map<String, double[][]> masks) {
        return new Batch(x, y, masks);
    }
}
