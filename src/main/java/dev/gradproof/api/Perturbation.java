package dev.gradproof.api;

/**
 * One parameter moved by {@code delta}, alone: {@code W2[3,7]} is {@code ("W2", 3, 7)},
 * {@code b1[0]} is {@code ("b1", 0, -1)}.
 */
public record Perturbation(String param, int row, int column, double delta) {
}
