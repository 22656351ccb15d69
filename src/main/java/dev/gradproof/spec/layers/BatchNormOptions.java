package dev.gradproof.spec.layers;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * {@code batch_norm} in training mode: per channel (per feature for [F]) the batch mean and the
 * biased variance over N (and every spatial position), y = γ·(x − μ)/√(σ² + eps) + β. Parameters
 * {@code weight} (γ) and {@code bias} (β), each [C], unless {@code affine: false}.
 */
@API(status = INTERNAL, since = "0.2")
public record BatchNormOptions(double eps, boolean affine) implements LayerOptions {

    public static final double DEFAULT_EPS = 1e-5;

    public BatchNormOptions {
        LayerOptions.require(eps > 0 && Double.isFinite(eps), "eps", "eps must be a positive number, got " + eps);
    }

    public static BatchNormOptions defaults() {
        return new BatchNormOptions(DEFAULT_EPS, true);
    }

    public LayerType type() {
        return LayerType.BATCH_NORM;
    }

    public Shape outputShape(List<Shape> inputs, List<String> names) {
        Shape in = LayerOptions.single(type(), inputs);
        switch (in.kind()) {
            case FEATURES, CHANNELS -> {
                return in;
            }
            case SEQUENCE -> throw new LayerOptionException("input", "batch_norm on a sequence [T, F] would normalise each"
                    + " time step separately (PyTorch's BatchNorm1d reads [N, C, L]); use layer_norm, or give channels");
            default -> throw new LayerOptionException("input", "batch_norm cannot take token ids " + in + ": embed them first");
        }
    }

    public List<ParameterTensor> parameters(List<Shape> inputs) {
        Shape in = outputShape(inputs);
        int c = in.dim(0);
        List<ParameterTensor> out = new ArrayList<>();
        if (affine) {
            out.add(new ParameterTensor("weight", new int[] {c}, ParameterTensor.Role.SCALE, 1, 1));
            out.add(new ParameterTensor("bias", new int[] {c}, ParameterTensor.Role.SHIFT, 1, 1));
        }
        return out;
    }
}
