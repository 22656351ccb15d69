package dev.gradproof.spec;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.api.Verdict;
import org.apiguardian.api.API;

/**
 * What outcome a spec expects. A teaching spec that reproduces a bug expects {@code mismatch}: the run
 * succeeds when the bug is caught.
 *
 * @param verdict         expected verdict
 * @param messageFragment for {@code error}: a fragment the error message must contain (null: any)
 */
@API(status = INTERNAL, since = "0.2")
public record Expectation(Verdict verdict, String messageFragment) {

    public static Expectation pass() {
        return new Expectation(Verdict.PASS, null);
    }
}
