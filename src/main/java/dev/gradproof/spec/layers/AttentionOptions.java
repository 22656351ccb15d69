package dev.gradproof.spec.layers;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * {@code attention}: multi-head self-attention on a sequence [T, dim], PyTorch's MultiheadAttention
 * with q = k = v = x: q, k, v = x·in_proj_weightᵀ + in_proj_bias (rows 0..dim, dim..2dim, 2dim..3dim),
 * per head softmax(q_h k_hᵀ/√(dim/heads)) v_h (with {@code causal}, step t attends to steps ≤ t), the
 * heads concatenated and projected by {@code out_proj.weight} [dim, dim] and {@code out_proj.bias}.
 *
 * @param dim the model width; 0 takes it from the input, otherwise it must equal the input's features
 */
@API(status = INTERNAL, since = "0.2")
public record AttentionOptions(int heads, int dim, boolean causal, boolean bias) implements LayerOptions {

    public AttentionOptions {
        LayerOptions.positive("heads", heads);
        LayerOptions.require(dim >= 0, "dim", "dim must be a positive integer, got " + dim);
        LayerOptions.require(dim == 0 || dim % heads == 0, "heads", "dim " + dim + " is not divisible by heads " + heads);
    }

    public LayerType type() {
        return LayerType.ATTENTION;
    }

    public Shape outputShape(List<Shape> inputs, List<String> names) {
        Shape in = LayerOptions.single(type(), inputs);
        if (in.kind() != Shape.Kind.SEQUENCE) {
            throw new LayerOptionException("input", "attention needs a sequence [T, dim]; its input is " + in.describe());
        }
        int f = in.dim(1);
        LayerOptions.require(dim == 0 || dim == f, "dim", "dim " + dim + " does not match the input's " + f
                + " features (input " + in.describe() + ")");
        LayerOptions.require(f % heads == 0, "heads", "the input's " + f + " features are not divisible by heads " + heads);
        return in;
    }

    public List<ParameterTensor> parameters(List<Shape> inputs) {
        int d = outputShape(inputs).dim(1);
        List<ParameterTensor> out = new ArrayList<>();
        out.add(new ParameterTensor("in_proj_weight", new int[] {3 * d, d}, ParameterTensor.Role.WEIGHT, d, 3 * d));
        if (bias) {
            out.add(new ParameterTensor("in_proj_bias", new int[] {3 * d}, ParameterTensor.Role.BIAS, d, 3 * d));
        }
        out.add(new ParameterTensor("out_proj.weight", new int[] {d, d}, ParameterTensor.Role.WEIGHT, d, d));
        if (bias) {
            out.add(new ParameterTensor("out_proj.bias", new int[] {d}, ParameterTensor.Role.BIAS, d, d));
        }
        return out;
    }
}
