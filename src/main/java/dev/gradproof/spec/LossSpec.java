package dev.gradproof.spec;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.spec.layers.LossOptions;

import java.util.Locale;
import org.apiguardian.api.API;

/**
 * @param type          which per-example loss
 * @param reduction     how per-example losses become one scalar
 * @param l2            lambda; the penalty is {@code lambda/(2m) * sum W^2} with m the number of examples
 *                      under {@code mean} and 1 under {@code sum} (Andrew Ng's convention)
 * @param l2Biases      whether biases are penalised too (not by default)
 * @param delta         Huber's threshold (1 unless given)
 * @param steps         for a sequence output, how its per-step losses make an example's: {@code mean} or
 *                      {@code sum} over steps
 */
@API(status = INTERNAL, since = "0.2")
public record LossSpec(LossType type, Reduction reduction, double l2, boolean l2Biases, double delta, Reduction steps) {

    public LossSpec(LossType type, Reduction reduction, double l2, boolean l2Biases) {
        this(type, reduction, l2, l2Biases, 1.0, Reduction.MEAN);
    }

    /** The same loss as the layer-graph engine takes it. */
    public LossOptions graphOptions() {
        return new LossOptions(LossOptions.Kind.byName(type.yamlName()).orElseThrow(), delta,
                steps == Reduction.SUM ? LossOptions.Steps.SUM : LossOptions.Steps.MEAN);
    }

    public enum LossType {
        SQUARED_ERROR("squared_error"),
        MSE("mse"),
        BINARY_CROSS_ENTROPY("binary_cross_entropy"),
        SOFTMAX_CROSS_ENTROPY("softmax_cross_entropy"),
        /** Only the layer-graph engine has the losses below; a dense chain that names one is checked by it. */
        L1("l1"),
        HUBER("huber"),
        HINGE("hinge"),
        KL_DIVERGENCE("kl_divergence");

        private final String yamlName;

        LossType(String yamlName) {
            this.yamlName = yamlName;
        }

        public String yamlName() {
            return yamlName;
        }

        /** Whether the dense-chain engine has it (else only the layer-graph engine does). */
        public boolean dense() {
            return ordinal() <= SOFTMAX_CROSS_ENTROPY.ordinal();
        }
    }

    public enum Reduction {
        MEAN, SUM;

        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
