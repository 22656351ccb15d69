package dev.gradproof.spec;

import dev.gradproof.expr.Expression;
import dev.gradproof.expr.ExpressionException;

/** {@code activation: tanh} or {@code activation: {name: tanh, derivative: "..."}}. */
final class ActivationSection {

    static final String[] NAMES = {
        "identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "softmax", "custom"};

    private ActivationSection() {
    }

    static ActivationSpec read(Field field) throws SpecException {
        if (!field.isMap()) {
            String name = field.oneOf(NAMES);
            if (name.equals("custom")) {
                throw field.error("custom needs 'value' and 'derivative' expressions: write "
                        + "{name: custom, value: \"...\", derivative: \"...\"}");
            }
            return ActivationSpec.builtin(name);
        }
        Fields map = field.map();
        String name = map.require("name").oneOf(NAMES);
        switch (name) {
            case "softmax" -> {
                if (map.has("derivative")) {
                    throw map.keyError("derivative", "softmax takes no declared derivative: its Jacobian couples "
                            + "all outputs, so it is not an elementwise f'(x)");
                }
                map.allow("name");
            }
            case "custom" -> map.allow("name", "value", "derivative");
            case "leaky_relu" -> map.allow("name", "slope", "derivative");
            case "elu" -> map.allow("name", "alpha", "derivative");
            default -> map.allow("name", "derivative");
        }
        double slope = map.has("slope") ? map.get("slope").number() : 0.01;
        double alpha = map.has("alpha") ? map.get("alpha").number() : 1.0;
        Field valueField = name.equals("custom") ? map.require("value") : null;
        Field derivativeField = name.equals("custom") ? map.require("derivative") : map.get("derivative");
        String valueSource = valueField == null ? null : valueField.text();
        String derivativeSource = derivativeField == null ? null : derivativeField.text();
        Expression value = valueField == null ? null : expression(valueField, valueSource);
        Expression derivative = derivativeField == null ? null : expression(derivativeField, derivativeSource);
        return new ActivationSpec(name, slope, alpha, value, derivative, valueSource, derivativeSource);
    }

    private static Expression expression(Field field, String source) throws SpecException {
        try {
            return Expression.parse(source);
        } catch (ExpressionException e) {
            throw field.errorInText(e.column(), "column " + e.column() + ": " + e.problem());
        }
    }
}
