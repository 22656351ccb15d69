package dev.gradproof.api;

/** One parameter moved by {@code delta}, alone (for a finite difference of the implementation's own loss). */
public record Perturbation(Coordinate parameter, double delta) {
}
