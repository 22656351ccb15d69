package dev.gradproof.oracle.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * A graph parameter's finite difference.
 *
 * @param value       Richardson-extrapolated central difference (O(h⁴))
 * @param error       its error bound: truncation estimated from the two stencils plus round-off, times 2
 * @param step        h, exactly representable
 * @param kinkCrossed whether a kink or tie changed sides within the stencil (±2h): then the value is
 *                    unreliable and says nothing about the implementation
 */
@API(status = INTERNAL, since = "0.2")
public record GraphFiniteDifference(double value, double error, double step, boolean kinkCrossed) {

    /** Why the value cannot be trusted, or null. */
    public String note() {
        return kinkCrossed ? "a kink or tie changed sides within the stencil (±2h = ±" + 2 * step
                + "): the finite difference is unreliable here" : null;
    }
}
