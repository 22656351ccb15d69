package dev.gradproof.spec.layers;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.List;
import org.apiguardian.api.API;

/**
 * {@code position_embedding}: learned positions added to a sequence, y[t, f] = x[t, f] + weight[t, f]
 * with {@code weight} [T, F] (PyTorch: {@code x + pos(arange(T))} with {@code pos = Embedding(T, F)}).
 */
@API(status = INTERNAL, since = "0.2")
public record PositionEmbeddingOptions() implements LayerOptions {

    public LayerType type() {
        return LayerType.POSITION_EMBEDDING;
    }

    public Shape outputShape(List<Shape> inputs, List<String> names) {
        Shape in = LayerOptions.single(type(), inputs);
        if (in.kind() != Shape.Kind.SEQUENCE) {
            throw new LayerOptionException("input", "position_embedding needs a sequence [T, F]; its input is "
                    + in.describe());
        }
        return in;
    }

    public List<ParameterTensor> parameters(List<Shape> inputs) {
        Shape in = outputShape(inputs);
        return List.of(new ParameterTensor("weight", in.dims(), ParameterTensor.Role.WEIGHT, in.dim(1), in.dim(0)));
    }
}
