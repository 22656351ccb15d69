package dev.gradproof.compare;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * One parameter in one trial: the three gradients side by side and the judgement.
 *
 * @param parameter         name, e.g. {@code W2[3,7]}
 * @param layer             1-based layer
 * @param bias              whether it is a bias
 * @param analytic          the gradient under test
 * @param finiteDifference  NaN when not computed (oracle off, or skipped at a kink)
 * @param exact             NaN when the exact oracle is off
 * @param relativeError     |analytic − reference| / max(|analytic|, |reference|), reference being exact
 *                          when available, else the finite difference
 * @param tolerance         the allowed error in the same relative terms
 * @param absoluteError     |analytic − reference|
 * @param absoluteTolerance the derived absolute bound
 * @param note              why a parameter is kink or inconclusive; null otherwise
 */
@API(status = INTERNAL, since = "0.2")
public record ParameterResult(String parameter, int index, int layer, boolean bias, int trial, double analytic,
                              double finiteDifference, double exact, double relativeError, double tolerance,
                              double absoluteError, double absoluteTolerance, Status status, String note) {

    public double reference() {
        return Double.isNaN(exact) ? finiteDifference : exact;
    }

    /**
     * Whether the comparison could tell this gradient from zero: one side is above its tolerance (or is
     * not a finite number). A parameter whose gradient and reference are both within rounding of zero
     * agrees trivially, and says nothing about the code under test.
     */
    public boolean resolvable() {
        return !(Math.max(Math.abs(analytic), Math.abs(reference())) <= absoluteTolerance);
    }

    /** |error| / tolerance: above 1 is a mismatch. */
    public double errorRatio() {
        return absoluteTolerance > 0 ? absoluteError / absoluteTolerance : (absoluteError > 0 ? Double.POSITIVE_INFINITY : 0);
    }
}
