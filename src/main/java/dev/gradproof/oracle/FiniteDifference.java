package dev.gradproof.oracle;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * @param value Richardson-extrapolated central difference (O(h⁴))
 * @param error bound on |value − true derivative|: truncation estimated from the two stencils plus
 *              round-off of the loss differences over the step, times 2
 * @param step  the step h actually used (exactly representable: (θ+h) − θ)
 */
@API(status = INTERNAL, since = "0.2")
public record FiniteDifference(double value, double error, double step) {
}
