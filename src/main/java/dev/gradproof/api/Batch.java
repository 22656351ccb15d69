package dev.gradproof.api;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * Examples: {@code x[n]} the inputs and {@code y[n]} the targets of example n. Like the parameters, an
 * implementation reads them and must not modify them.
 */
@API(status = STABLE, since = "0.2")
public record Batch(double[][] x, double[][] y) {
    public int size() {
        return x.length;
    }
}
