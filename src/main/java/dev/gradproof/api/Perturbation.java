package dev.gradproof.api;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** One parameter moved by {@code delta}, alone (for a finite difference of the implementation's own loss). */
@API(status = STABLE, since = "0.2")
public record Perturbation(Coordinate parameter, double delta) {
}
