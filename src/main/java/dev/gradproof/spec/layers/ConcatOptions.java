package dev.gradproof.spec.layers;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.List;
import org.apiguardian.api.API;

/**
 * {@code concat}: two or more inputs joined along the channel axis (for channels [C, ...]) or the
 * feature axis (the last, for features and sequences); every other size must agree. No parameters.
 */
@API(status = INTERNAL, since = "0.2")
public record ConcatOptions() implements LayerOptions {

    public LayerType type() {
        return LayerType.CONCAT;
    }

    @Override
    public boolean joins() {
        return true;
    }

    public Shape outputShape(List<Shape> inputs, List<String> names) {
        LayerOptions.require(inputs.size() >= 2, "from", "concat joins two or more layers, got " + inputs.size());
        Shape first = inputs.get(0);
        LayerOptions.require(first.kind() != Shape.Kind.TOKENS, "from", "concat cannot join token ids: embed them first");
        int axis = first.featureAxis();
        int[] dims = first.dims();
        for (int i = 1; i < inputs.size(); i++) {
            Shape s = inputs.get(i);
            boolean fits = s.kind() == first.kind() && s.rank() == first.rank();
            for (int a = 0; fits && a < dims.length; a++) {
                fits = a == axis || s.dim(a) == first.dim(a);
            }
            String along = first.kind() == Shape.Kind.CHANNELS ? "channels" : "features";
            LayerOptions.require(fits, "from", "concat joins along " + along + ", so every other size must agree: "
                    + names.get(0) + " gives " + first.describe() + " but " + names.get(i) + " gives " + s.describe());
            dims[axis] += s.dim(axis);
        }
        return new Shape(first.kind(), dims);
    }

    public List<ParameterTensor> parameters(List<Shape> inputs) {
        return List.of();
    }
}
