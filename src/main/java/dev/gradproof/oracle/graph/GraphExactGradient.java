package dev.gradproof.oracle.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * The exact gradient of a graph's loss and what rounding and conventions could do to a correct
 * gradient computed in double, per parameter: what {@code compare.ToleranceModel.analyticVsExact}
 * turns into tol_p = 2γ_K(M + E) + E + A.
 *
 * @param loss          the loss as the tape computed it (the reference forward's, bit for bit)
 * @param value         dL/dθ, every local derivative from {@code DerivativeStructure} or exact products
 * @param magnitude     M_p: the same backward pass on absolute values
 * @param localError    E_p: first-order effect of every local derivative's rounding bound
 * @param kinkAllowance A_p: what switching the derivative convention at kinks and ties can change
 * @param chain         K_p: the longest chain of rounded operations behind the entry, reduction included
 * @param kinkOnPath    whether a kink or tie (even one with a continuous derivative) lies on p's paths
 * @param lossRounding  bound on the rounding error of the loss value (for finite differences)
 * @param inputGradient dL/dx for the network's input; null for token ids
 * @param forwardMagnitude M_p with every product's factor widened by its forward rounding bound: the size
 *                      of the terms when another forward pass (another framework's) rounds differently
 * @param inputMagnitude the magnitude of each input's gradient; null for token ids
 * @param inputForwardMagnitude its forward-widened magnitude; null for token ids
 * @param kinks         unary nodes at a kink
 * @param ties          max nodes with a tie
 * @param note          a short sentence on kinks and ties, or empty
 */
@API(status = INTERNAL, since = "0.2")
public record GraphExactGradient(double loss, double[] value, double[] magnitude, double[] localError,
                                 double[] kinkAllowance, double[] forwardMagnitude, int[] chain, boolean[] kinkOnPath, double lossRounding,
                                 double[] inputGradient, double[] inputMagnitude, double[] inputForwardMagnitude, int kinks, int ties, String note) {
}
