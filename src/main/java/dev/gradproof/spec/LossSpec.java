package dev.gradproof.spec;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Locale;
import org.apiguardian.api.API;

/**
 * @param type          which per-example loss
 * @param reduction     how per-example losses become one scalar
 * @param l2            lambda; the penalty is {@code lambda/(2m) * sum W^2} with m the number of examples
 *                      under {@code mean} and 1 under {@code sum} (Andrew Ng's convention)
 * @param l2Biases      whether biases are penalised too (not by default)
 */
@API(status = INTERNAL, since = "0.2")
public record LossSpec(LossType type, Reduction reduction, double l2, boolean l2Biases) {

    public enum LossType {
        SQUARED_ERROR("squared_error"),
        MSE("mse"),
        BINARY_CROSS_ENTROPY("binary_cross_entropy"),
        SOFTMAX_CROSS_ENTROPY("softmax_cross_entropy");

        private final String yamlName;

        LossType(String yamlName) {
            this.yamlName = yamlName;
        }

        public String yamlName() {
            return yamlName;
        }
    }

    public enum Reduction {
        MEAN, SUM;

        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
