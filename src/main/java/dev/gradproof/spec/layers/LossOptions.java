package dev.gradproof.spec.layers;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Locale;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A graph's loss on its last layer's output, per example; the reduction over examples and the L2 term
 * are the network's (as in today's specs). For a sequence output [T, K] the loss is taken at every
 * step over its K values and the steps are summed or averaged ({@code steps}); any other output is one
 * step of all its values.
 *
 * @param kind  which loss
 * @param delta Huber's threshold (default 1.0, PyTorch's)
 * @param steps how a sequence output's per-step losses make the example's
 */
@API(status = INTERNAL, since = "0.2")
public record LossOptions(Kind kind, double delta, Steps steps) {

    public enum Kind {
        /** ½ Σ (a − y)². */
        SQUARED_ERROR("squared_error"),
        /** (1/K) Σ (a − y)². */
        MSE("mse"),
        /** −Σ [y log a + (1 − y) log(1 − a)]; from the logits after a sigmoid last layer. */
        BINARY_CROSS_ENTROPY("binary_cross_entropy"),
        /** −Σ y log softmax(z); needs a softmax last layer. */
        SOFTMAX_CROSS_ENTROPY("softmax_cross_entropy"),
        /** (1/K) Σ |a − y|. */
        L1("l1"),
        /** (1/K) Σ huber_δ(a − y). */
        HUBER("huber"),
        /** (1/K) Σ_{i≠c} max(0, 1 − a_c + a_i) for the one-hot target's class c. */
        HINGE("hinge"),
        /** Σ y (log y − x) with x the log-probabilities (log_softmax(z) after a softmax last layer). */
        KL_DIVERGENCE("kl_divergence");

        private final String yamlName;

        Kind(String yamlName) {
            this.yamlName = yamlName;
        }

        public String yamlName() {
            return yamlName;
        }

        public static Optional<Kind> byName(String name) {
            for (Kind k : values()) {
                if (k.yamlName.equals(name.toLowerCase(Locale.ROOT))) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }

        /** Whether it reads classes (one value per class along the last axis). */
        public boolean classes() {
            return this == SOFTMAX_CROSS_ENTROPY || this == HINGE || this == KL_DIVERGENCE;
        }
    }

    public enum Steps { MEAN, SUM }

    public LossOptions {
        if (kind == null) {
            throw new LayerOptionException("type", "no loss type given");
        }
        if (!(delta > 0 && Double.isFinite(delta))) {
            throw new LayerOptionException("delta", "delta must be a positive number, got " + delta);
        }
        if (steps == null) {
            steps = Steps.MEAN;
        }
    }

    public static LossOptions of(Kind kind) {
        return new LossOptions(kind, 1.0, Steps.MEAN);
    }

    public static LossOptions huber(double delta) {
        return new LossOptions(Kind.HUBER, delta, Steps.MEAN);
    }

    public LossOptions steps(Steps s) {
        return new LossOptions(kind, delta, s);
    }
}
