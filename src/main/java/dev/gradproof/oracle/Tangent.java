package dev.gradproof.oracle;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * Forward-mode derivative of the loss along one parameter, and what the kinks on its path imply.
 *
 * @param value          dL/dθ_p by tangent propagation
 * @param nearKink       some ReLU-like unit's pre-activation is within the finite-difference
 *                       stencil's reach of a kink: a finite difference there mixes two slopes
 * @param atKink         some unit that θ_p moves sits on a kink to within rounding, so the derivative
 *                       there is a convention (ReLU'(0) = 0 or 1): both are right
 * @param kinkAllowance  bound on how much such conventions can change dL/dθ_p
 * @param kinkNote       first such unit, e.g. {@code layer 1 unit 3, example 17, z = 0}
 */
@API(status = INTERNAL, since = "0.2")
public record Tangent(double value, boolean nearKink, boolean atKink, double kinkAllowance, String kinkNote) {
}
