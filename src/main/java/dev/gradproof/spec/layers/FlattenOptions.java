package dev.gradproof.spec.layers;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.List;
import org.apiguardian.api.API;

/** {@code flatten}: any tensor → features [size], row-major (PyTorch's {@code flatten(1)}). No parameters. */
@API(status = INTERNAL, since = "0.2")
public record FlattenOptions() implements LayerOptions {

    public LayerType type() {
        return LayerType.FLATTEN;
    }

    public Shape outputShape(List<Shape> inputs, List<String> names) {
        Shape in = LayerOptions.single(type(), inputs);
        if (in.kind() == Shape.Kind.TOKENS) {
            throw new LayerOptionException("input", "flatten cannot take token ids " + in + ": embed them first");
        }
        return Shape.features(in.size());
    }

    public List<ParameterTensor> parameters(List<Shape> inputs) {
        return List.of();
    }
}
