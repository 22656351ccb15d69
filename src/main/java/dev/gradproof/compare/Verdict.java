package dev.gradproof.compare;

/** The outcome of a whole spec. */
public enum Verdict {
    PASS, MISMATCH, ERROR,
    /** The implementation's loss differs from the spec's, its gradient is consistent with its own loss. */
    FORWARD_DIFFERS;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
