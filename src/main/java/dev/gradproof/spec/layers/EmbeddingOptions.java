package dev.gradproof.spec.layers;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.List;
import org.apiguardian.api.API;

/**
 * {@code embedding}: token ids [T] (integers in [0, vocabulary)) → a sequence [T, dim], row id of
 * {@code weight} [vocabulary, dim] per position. A row used at several positions accumulates their
 * gradients.
 */
@API(status = INTERNAL, since = "0.2")
public record EmbeddingOptions(int vocabulary, int dim) implements LayerOptions {

    public EmbeddingOptions {
        LayerOptions.positive("vocabulary", vocabulary);
        LayerOptions.positive("dim", dim);
    }

    public LayerType type() {
        return LayerType.EMBEDDING;
    }

    public Shape outputShape(List<Shape> inputs, List<String> names) {
        Shape in = LayerOptions.single(type(), inputs);
        if (in.kind() != Shape.Kind.TOKENS) {
            throw new LayerOptionException("input", "embedding needs token ids [T]; its input is " + in.describe());
        }
        return Shape.sequence(in.dim(0), dim);
    }

    public List<ParameterTensor> parameters(List<Shape> inputs) {
        return List.of(new ParameterTensor("weight", new int[] {vocabulary, dim}, ParameterTensor.Role.WEIGHT, dim,
                vocabulary));
    }
}
