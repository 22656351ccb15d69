package dev.gradproof.spec.layers;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * {@code dense}: y = W x + b on a feature vector [F], or on every step of a sequence [T, F] (PyTorch's
 * Linear acts on the last axis). Parameters {@code weight} [units, F], {@code bias} [units].
 */
@API(status = INTERNAL, since = "0.2")
public record DenseOptions(int units, boolean bias) implements LayerOptions {

    public DenseOptions {
        LayerOptions.positive("units", units);
    }

    public LayerType type() {
        return LayerType.DENSE;
    }

    public Shape outputShape(List<Shape> inputs, List<String> names) {
        Shape in = LayerOptions.single(type(), inputs);
        return switch (in.kind()) {
            case FEATURES -> Shape.features(units);
            case SEQUENCE -> Shape.sequence(in.dim(0), units);
            default -> throw new LayerOptionException("input", "dense needs features [F] or a sequence [T, F]; its input is "
                    + in.describe() + (in.kind() == Shape.Kind.CHANNELS ? ": flatten it first" : ": embed it first"));
        };
    }

    public List<ParameterTensor> parameters(List<Shape> inputs) {
        Shape in = LayerOptions.single(type(), inputs);
        int f = in.dim(in.rank() - 1);
        List<ParameterTensor> out = new ArrayList<>();
        out.add(new ParameterTensor("weight", new int[] {units, f}, ParameterTensor.Role.WEIGHT, f, units));
        if (bias) {
            out.add(new ParameterTensor("bias", new int[] {units}, ParameterTensor.Role.BIAS, f, units));
        }
        return out;
    }
}
