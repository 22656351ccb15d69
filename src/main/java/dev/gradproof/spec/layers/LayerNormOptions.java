package dev.gradproof.spec.layers;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apiguardian.api.API;

/**
 * {@code layer_norm}: per example (and per leading position) the mean and biased variance over the
 * trailing {@code normalized_shape} dimensions, y = γ·(x − μ)/√(σ² + eps) + β. Parameters {@code
 * weight} (γ) and {@code bias} (β) of shape normalized_shape, unless {@code affine: false}.
 *
 * @param normalizedShape the trailing dimensions; null means the last one (PyTorch's usual {@code
 *                        LayerNorm(F)})
 */
@API(status = INTERNAL, since = "0.2")
public record LayerNormOptions(int[] normalizedShape, double eps, boolean affine) implements LayerOptions {

    public LayerNormOptions {
        LayerOptions.require(eps > 0 && Double.isFinite(eps), "eps", "eps must be a positive number, got " + eps);
        if (normalizedShape != null) {
            LayerOptions.require(normalizedShape.length > 0, "normalized_shape", "normalized_shape is empty");
            normalizedShape = normalizedShape.clone();
            for (int d : normalizedShape) {
                LayerOptions.positive("normalized_shape", d);
            }
        }
    }

    public static LayerNormOptions defaults() {
        return new LayerNormOptions(null, BatchNormOptions.DEFAULT_EPS, true);
    }

    public LayerType type() {
        return LayerType.LAYER_NORM;
    }

    @Override
    public int[] normalizedShape() {
        return normalizedShape == null ? null : normalizedShape.clone();
    }

    /** The normalised trailing dimensions for this input. */
    public int[] resolved(Shape in) {
        return normalizedShape == null ? new int[] {in.dim(in.rank() - 1)} : normalizedShape.clone();
    }

    public Shape outputShape(List<Shape> inputs, List<String> names) {
        Shape in = LayerOptions.single(type(), inputs);
        if (in.kind() == Shape.Kind.TOKENS) {
            throw new LayerOptionException("input", "layer_norm cannot take token ids " + in + ": embed them first");
        }
        int[] ns = resolved(in);
        int[] dims = in.dims();
        boolean fits = ns.length <= dims.length
                && Arrays.equals(ns, Arrays.copyOfRange(dims, dims.length - ns.length, dims.length));
        LayerOptions.require(fits, "normalized_shape", "normalized_shape " + Arrays.toString(ns)
                + " must be the input's trailing dimensions; the input is " + in.describe());
        return in;
    }

    public List<ParameterTensor> parameters(List<Shape> inputs) {
        Shape in = outputShape(inputs);
        int[] ns = resolved(in);
        List<ParameterTensor> out = new ArrayList<>();
        if (affine) {
            out.add(new ParameterTensor("weight", ns, ParameterTensor.Role.SCALE, 1, 1));
            out.add(new ParameterTensor("bias", ns, ParameterTensor.Role.SHIFT, 1, 1));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerNormOptions l && Arrays.equals(l.normalizedShape, normalizedShape) && l.eps == eps
                && l.affine == affine;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(normalizedShape) * 31 + Double.hashCode(eps);
    }

    @Override
    public String toString() {
        return "layer_norm(normalized_shape=" + (normalizedShape == null ? "last" : Arrays.toString(normalizedShape))
                + ", eps=" + eps + (affine ? "" : ", affine=false") + ")";
    }
}
