package dev.gradproof.spec.layers;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.List;
import org.apiguardian.api.API;

/** {@code add}: the elementwise sum of two or more inputs of one shape (a residual join). No parameters. */
@API(status = INTERNAL, since = "0.2")
public record AddOptions() implements LayerOptions {

    public LayerType type() {
        return LayerType.ADD;
    }

    @Override
    public boolean joins() {
        return true;
    }

    public Shape outputShape(List<Shape> inputs, List<String> names) {
        LayerOptions.require(inputs.size() >= 2, "from", "add joins two or more layers, got " + inputs.size());
        Shape first = inputs.get(0);
        LayerOptions.require(first.kind() != Shape.Kind.TOKENS, "from", "add cannot join token ids: embed them first");
        for (int i = 1; i < inputs.size(); i++) {
            Shape s = inputs.get(i);
            LayerOptions.require(s.equals(first), "from", "add needs inputs of one shape: " + names.get(0) + " gives "
                    + first.describe() + " but " + names.get(i) + " gives " + s.describe());
        }
        return first;
    }

    public List<ParameterTensor> parameters(List<Shape> inputs) {
        return List.of();
    }
}
