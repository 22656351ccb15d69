package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * A backward pass's result.
 *
 * @param parameters dL/dθ in the layout's order
 * @param input      dL/dx for the network's input ([N, ...input shape]); null for token ids
 */
@API(status = INTERNAL, since = "0.2")
public record Gradients(double[] parameters, double[] input) {
}
