package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * One trial's data: N examples of the network's input shape (token ids stored as doubles) and targets
 * of its output shape, both flat and example-major ([N, ...shape], PyTorch's layout), and the seed
 * dropout masks are drawn from.
 */
@API(status = INTERNAL, since = "0.2")
public record GraphData(int examples, double[] x, double[] y, long seed) {
}
