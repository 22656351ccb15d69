package dev.gradproof.network.graph;

/**
 * One trial's data: N examples of the network's input shape (token ids stored as doubles) and targets
 * of its output shape, both flat and example-major ([N, ...shape], PyTorch's layout), and the seed
 * dropout masks are drawn from.
 */
public record GraphData(int examples, double[] x, double[] y, long seed) {
}
