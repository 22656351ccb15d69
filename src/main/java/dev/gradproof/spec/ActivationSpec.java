package dev.gradproof.spec;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.expr.Expression;
import org.apiguardian.api.API;

/**
 * An activation as written in a spec.
 *
 * @param name       one of {@code identity, sigmoid, tanh, relu, leaky_relu, elu, softplus, softmax, custom}
 * @param slope      leaky_relu's negative slope (0.01 unless given)
 * @param alpha      elu's alpha (1.0 unless given)
 * @param value      custom activation's value expression in {@code x}; null for built-ins
 * @param derivative declared derivative expression in {@code x}; for built-ins an override of the
 *                   hand-written derivative (how a spec reproduces a derivative bug), null when absent
 * @param derivativeSource the derivative expression's text, as written (null when absent)
 */
@API(status = INTERNAL, since = "0.2")
public record ActivationSpec(String name, double slope, double alpha, Expression value, Expression derivative,
                             String valueSource, String derivativeSource) {

    public static ActivationSpec builtin(String name) {
        return new ActivationSpec(name, 0.01, 1.0, null, null, null, null);
    }

    public boolean overridesDerivative() {
        return derivative != null && !"custom".equals(name);
    }

    /** How the activation is shown in reports, e.g. {@code tanh} or {@code tanh (declared f' = 1 - tanh(x)*tan(x))}. */
    public String describe() {
        String base = switch (name) {
            case "leaky_relu" -> "leaky_relu(slope=" + slope + ")";
            case "elu" -> "elu(alpha=" + alpha + ")";
            case "custom" -> "custom(" + valueSource + ")";
            default -> name;
        };
        return derivativeSource == null ? base : base + " with declared f'(x) = " + derivativeSource;
    }
}
