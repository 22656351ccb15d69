package dev.gradproof.oracle;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * The exact gradient and what rounding could do to a gradient computed in double.
 *
 * @param value         dL/dθ with every nonlinearity differentiated by {@code DerivativeStructure}
 * @param magnitude     the same backward pass on absolute values (|W|, |f'|, |δ|): the size of the
 *                      terms each gradient entry is a sum of, which is what rounding error scales with
 * @param localError    how far a correct analytic gradient may move because its local derivatives
 *                      (f'(z), dℓ/dz) carry their own rounding: the first-order growth of the magnitude
 *                      when every local derivative is widened by its error bound
 * @param lossRounding  bound on the rounding error of the loss itself, for finite differences
 * @param upstream      per layer (1-based) and example-unit: a bound on |dL/da| at that unit, with every
 *                      unit at a kink passing on its larger one-sided slope (bounds what a kink convention
 *                      anywhere above can change); includes the reduction scale
 * @param localDerivative per layer (1-based) and example-unit: the exact f'(z)
 * @param outputDelta   exact dℓ_n/dz_L per example-unit (unscaled by the reduction)
 * @param forwardError  per layer (1-based) and example-unit: bound on how far the implementation's own
 *                      pre-activation may be from this forward pass's; null when it shares this pass
 * @param units         the magnitudes the per-parameter ones are sums of (for the fast mode's tolerance)
 */
@API(status = INTERNAL, since = "0.2")
public record ExactGradient(double[] value, double[] magnitude, double[] localError, double lossRounding,
                            double[][] upstream, double[][] localDerivative, double[] outputDelta,
                            double[][] forwardError, UnitMagnitudes units) {

    /**
     * The magnitude of W_{l−1}[i,j]'s gradient is Σ_e mag[l][e,i]·input[l−1][e,j] (a bias's: Σ_e mag[l][e,i]),
     * plus the penalty's term; with every local derivative widened by its error bound, the same with
     * magEps and inputEps. Kept per unit so a projection onto a rank-one direction costs O(N·(in + out)).
     *
     * @param mag      per layer (1-based), example-unit: backward magnitude at that unit, reduction scale included
     * @param magEps   the same with every local derivative widened by its error bound
     * @param input    per weight layer (0-based), example-unit: |a| of the layer's input
     * @param inputEps the same widened by the implementation's forward error (= input when shared)
     */
    public record UnitMagnitudes(double[][] mag, double[][] magEps, double[][] input, double[][] inputEps) {
    }

    /** How far the implementation's z may sit from ours; 0 when the forward pass is shared. */
    public double forwardError(int layer, int index) {
        return forwardError == null ? 0 : forwardError[layer][index];
    }
}
