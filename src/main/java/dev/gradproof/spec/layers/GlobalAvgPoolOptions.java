package dev.gradproof.spec.layers;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.List;
import org.apiguardian.api.API;

/** {@code global_avg_pool}: the mean over every spatial position, [C, L] or [C, H, W] → [C]. No parameters. */
@API(status = INTERNAL, since = "0.2")
public record GlobalAvgPoolOptions() implements LayerOptions {

    public LayerType type() {
        return LayerType.GLOBAL_AVG_POOL;
    }

    public Shape outputShape(List<Shape> inputs, List<String> names) {
        Shape in = LayerOptions.single(type(), inputs);
        if (in.kind() != Shape.Kind.CHANNELS || in.rank() < 2) {
            throw new LayerOptionException("input", "global_avg_pool needs channels [C, L] or [C, H, W]; its input is "
                    + in.describe());
        }
        return Shape.features(in.dim(0));
    }

    public List<ParameterTensor> parameters(List<Shape> inputs) {
        return List.of();
    }
}
