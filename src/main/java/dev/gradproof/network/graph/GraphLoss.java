package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * A loss on one step of k values of the last layer (the whole output for a vector), in three forms
 * side by side: its value, its hand-written gradient, and its exact form on the {@link Tape}, computed in
 * the same order as the value.
 *
 * <p>v is the last layer's output a, or its pre-activation z when {@link #fromLogits()} (softmax and
 * sigmoid are then part of the loss, evaluated stably from the logits).
 */
@API(status = INTERNAL, since = "0.2")
public interface GraphLoss {

    String name();

    boolean fromLogits();

    double value(double[] v, int off, double[] y, int yOff, int k);

    /** dℓ/dv into {@code out[outOff ..]}. */
    void gradient(double[] v, int off, double[] y, int yOff, int k, double[] out, int outOff);

    /** The step's loss recorded on the tape from the nodes {@code v[off ..]}. */
    int exact(Tape tape, int[] v, int off, double[] y, int yOff, int k);

    /**
     * Bound on |hand-written dℓ/dv − exact dℓ/dv| per value into {@code out[outOff ..]}, beyond rounding
     * relative to the terms (which the tolerance's γ_K·M covers): e.g. σ(z) − 1 for a confident sigmoid
     * output is pure rounding of σ(z), far more than the tiny true gradient σ(−z). 0 when the formula
     * has no such absolute error.
     */
    default void gradientError(double[] v, int off, double[] y, int yOff, int k, double[] out, int outOff) {
    }

    /** Which side of each kink the step is on (L1 signs, hinge margins): a finite difference must not change it. */
    default long branch(double[] v, int off, double[] y, int yOff, int k) {
        return 0;
    }

    /** Why the step's targets do not suit the loss, or null. */
    default String targetProblem(double[] y, int yOff, int k) {
        return null;
    }

    /** How a reader checks it against PyTorch, and the derivative convention at its kinks. */
    String convention();
}
