package dev.gradproof.mutants;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * Whether a mutant's mistake can show on a spec at all: a tanh bug needs a tanh layer, a reduction
 * bug needs mean over more than one example, and so on. Where it cannot show, the mutant computes the
 * reference gradient and there is nothing to catch.
 *
 * @param reason why not, e.g. {@code "no tanh layer"}; null when applicable
 */
@API(status = INTERNAL, since = "0.2")
public record Applicability(boolean applicable, String reason) {

    private static final Applicability YES = new Applicability(true, null);

    public static Applicability yes() {
        return YES;
    }

    public static Applicability no(String reason) {
        return new Applicability(false, reason);
    }

    @Override
    public String toString() {
        return applicable ? "applicable" : "not applicable: " + reason;
    }
}
