package dev.gradproof.external;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * A child's {@code ok: false} answer to {@code hello}: it cannot build this network. Unlike a crash or
 * a protocol error, this is the child's considered answer, which a run may list as skipped.
 */
@API(status = INTERNAL, since = "0.3")
public final class Refusal extends IllegalStateException {
    private final String reason;

    /**
     * @param message the whole message (the command, what was refused, the child's stderr)
     * @param reason  the child's own words, or why gradproof cannot ask it
     */
    public Refusal(String message, String reason) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
