package dev.gradproof.api;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** What the analytic gradient is compared with. */
@API(status = STABLE, since = "0.2")
public enum Oracle {
    /** Exact derivatives: Commons Math {@code DerivativeStructure} local derivatives, reverse-accumulated. */
    EXACT("exact"),
    /** Richardson-extrapolated central differences of the loss. */
    FINITE_DIFFERENCE("finite_difference");

    private final String specName;

    Oracle(String specName) {
        this.specName = specName;
    }

    /** As a spec's {@code check.oracles} writes it. */
    public String specName() {
        return specName;
    }
}
