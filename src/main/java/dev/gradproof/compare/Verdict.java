package dev.gradproof.compare;

/** The outcome of a whole spec. */
public enum Verdict {
    PASS, MISMATCH, ERROR;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
