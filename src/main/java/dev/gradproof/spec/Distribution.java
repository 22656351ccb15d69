package dev.gradproof.spec;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * A scalar distribution: {@code normal(mean, std)} or {@code uniform(low, high)}.
 * {@code zeros} is the fraction of input entries set to exactly 0 (to exercise kinks).
 */
@API(status = INTERNAL, since = "0.2")
public record Distribution(String kind, double a, double b, double zeros) {

    public static Distribution normal(double mean, double std) {
        return new Distribution("normal", mean, std, 0);
    }

    public static Distribution uniform(double low, double high) {
        return new Distribution("uniform", low, high, 0);
    }

    public String describe() {
        String base = kind.equals("normal") ? "normal(mean=" + a + ", std=" + b + ")" : "uniform(" + a + ", " + b + ")";
        return zeros > 0 ? base + " with " + zeros + " exact zeros" : base;
    }
}
