package dev.gradproof.spec.layers;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.List;
import org.apiguardian.api.API;

/**
 * {@code dropout} with a fixed mask: each element is kept with probability 1 − p and scaled by 1/(1 − p)
 * (inverted dropout), zeroed otherwise. The mask is drawn from the trial's seed, so the network stays
 * a deterministic, differentiable function. No parameters.
 */
@API(status = INTERNAL, since = "0.2")
public record DropoutOptions(double p) implements LayerOptions {

    public DropoutOptions {
        LayerOptions.require(p >= 0 && p < 1, "p", "p must be in [0, 1), got " + p);
    }

    public LayerType type() {
        return LayerType.DROPOUT;
    }

    public Shape outputShape(List<Shape> inputs, List<String> names) {
        Shape in = LayerOptions.single(type(), inputs);
        if (in.kind() == Shape.Kind.TOKENS) {
            throw new LayerOptionException("input", "dropout cannot take token ids " + in + ": embed them first");
        }
        return in;
    }

    public List<ParameterTensor> parameters(List<Shape> inputs) {
        return List.of();
    }
}
