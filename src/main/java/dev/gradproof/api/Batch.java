package dev.gradproof.api;

/**
 * Examples: {@code x[n]} the inputs and {@code y[n]} the targets of example n. Copies, as for
 * {@link Parameters}.
 */
public record Batch(double[][] x, double[][] y) {
    public int size() {
        return x.length;
    }
}
