package dev.gradproof.spec;

/**
 * What outcome a spec expects. A teaching spec that reproduces a bug expects {@code mismatch}: the run
 * succeeds when the bug is caught.
 *
 * @param verdict         expected verdict
 * @param messageFragment for {@code error}: a fragment the error message must contain (null: any)
 */
public record Expectation(Verdict verdict, String messageFragment) {

    public static Expectation pass() {
        return new Expectation(Verdict.PASS, null);
    }

    public enum Verdict {
        PASS, MISMATCH, ERROR,
        /** The implementation's loss is not the spec's, but its gradient is the gradient of its own loss. */
        FORWARD_DIFFERS;

        public String yamlName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }
}
