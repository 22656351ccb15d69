package dev.gradproof.spec;

import dev.gradproof.api.Verdict;

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
}
