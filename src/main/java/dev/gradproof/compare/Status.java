package dev.gradproof.compare;

/** What the comparison concluded about one parameter in one trial. */
public enum Status {
    /** Analytic agrees with the decisive oracle within tolerance. */
    OK,
    /** Analytic disagrees with the decisive oracle beyond anything rounding (or a kink convention) explains. */
    MISMATCH,
    /** Agreed, but a ReLU-like kink lies on the parameter's path: within rounding of the kink (a
     *  derivative convention, allowed for) or within the finite-difference stencil (finite difference skipped). */
    KINK,
    /** The oracles disagree with each other (finite difference vs exact): the harness cannot decide, and says so. */
    INCONCLUSIVE;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
