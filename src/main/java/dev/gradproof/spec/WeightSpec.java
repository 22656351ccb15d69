package dev.gradproof.spec;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * Parameter initialisation for each trial.
 *
 * @param init   {@code normal} (mean 0, {@code std}), {@code uniform} ({@code low}..{@code high}),
 *               {@code xavier} (Glorot uniform, limit sqrt(6/(fan_in+fan_out))), {@code he} (normal, std sqrt(2/fan_in))
 * @param std    for normal
 * @param low    for uniform
 * @param high   for uniform
 * @param biases {@code zero} or {@code same} (drawn like the weights)
 */
@API(status = INTERNAL, since = "0.2")
public record WeightSpec(String init, double std, double low, double high, String biases) {

    public static WeightSpec defaults() {
        return new WeightSpec("xavier", 0.1, -0.12, 0.12, "same");
    }

    public String describe() {
        return switch (init) {
            case "normal" -> "normal(std=" + std + ")";
            case "uniform" -> "uniform(" + low + ", " + high + ")";
            default -> init;
        };
    }
}
