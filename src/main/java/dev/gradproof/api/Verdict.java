package dev.gradproof.api;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.Locale;

import org.apiguardian.api.API;

/**
 * What a check concludes about a spec, and what a spec may expect ({@code expect:}). One type for both,
 * so an expectation is met exactly when the verdict equals it.
 */
@API(status = STABLE, since = "0.2")
public enum Verdict {
    /** The analytic gradient agrees with the exact gradient everywhere, and its loss is the spec's. */
    PASS,
    /** Some parameter's analytic gradient disagrees with the exact gradient beyond rounding. */
    MISMATCH,
    /** The spec or the computation could not run, or nothing could be decided; the message says why. */
    ERROR,
    /** The implementation's loss is not the spec's, but its gradient is the gradient of its own loss. */
    FORWARD_DIFFERS;

    /** {@code pass}, {@code mismatch}, {@code error}, {@code forward-differs}: as specs and reports write it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The verdict with this label. */
    public static Verdict ofLabel(String label) {
        for (Verdict v : values()) {
            if (v.label().equals(label)) {
                return v;
            }
        }
        throw new IllegalArgumentException("no verdict '" + label + "' (pass, mismatch, forward-differs, error)");
    }
}
