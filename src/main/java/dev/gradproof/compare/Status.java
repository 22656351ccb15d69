package dev.gradproof.compare;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Locale;
import org.apiguardian.api.API;

/** What the comparison concluded about one parameter in one trial. */
@API(status = INTERNAL, since = "0.2")
public enum Status {
    /** Analytic agrees with the decisive oracle within tolerance. */
    OK,
    /** Analytic disagrees with the decisive oracle beyond anything rounding (or a kink convention) explains. */
    MISMATCH,
    /** Agreed, but a ReLU-like kink lies on the parameter's path: within rounding of the kink (a
     *  derivative convention, allowed for) or within the finite-difference stencil (finite difference skipped). */
    KINK,
    /**
     * Nothing could be decided: the rounding bound is not a finite number (overflow), the two exact
     * oracles disagree, or the finite difference and the analytic gradient both disagree with the exact
     * one. The harness says so instead of blaming the implementation, and a spec with such a parameter
     * cannot pass (its verdict is an error that names it).
     */
    INCONCLUSIVE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
