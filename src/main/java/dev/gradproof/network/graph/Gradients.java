package dev.gradproof.network.graph;

/**
 * A backward pass's result.
 *
 * @param parameters dL/dθ in the layout's order
 * @param input      dL/dx for the network's input ([N, ...input shape]); null for token ids
 */
public record Gradients(double[] parameters, double[] input) {
}
