package dev.gradproof.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

import java.util.Map;

/**
 * Batch and layer norm from DJL's elementwise ops in float64, with the spec's ε as a double (DJL's fused
 * kernels take it as a float: {@link DjlNetwork#FUSED_NORMS}). Variance is the biased one (divided by the
 * count), both in training mode: the batch's own statistics, as PyTorch computes them there.
 */
final class Norms {
    private Norms() {
    }

    /** Over every axis but 1 (the channels or features): x viewed as [C, everything else]. */
    static NDArray batchNorm(NDArray x, Map<String, Object> o, Map<String, NDArray> p, String n) {
        Shape shape = x.getShape();
        long c = shape.get(1);
        NDArray swapped = x.swapAxes(0, 1);
        Shape swappedShape = swapped.getShape();
        NDArray rows = normalize(swapped.reshape(c, -1), eps(o));
        if (Boolean.TRUE.equals(o.get("affine"))) {
            rows = rows.mul(p.get(n + "weight").reshape(c, 1)).add(p.get(n + "bias").reshape(c, 1));
        }
        return rows.reshape(swappedShape).swapAxes(0, 1);
    }

    /** Over the trailing axes normalized_shape names. */
    static NDArray layerNorm(NDArray x, Map<String, Object> o, Map<String, NDArray> p, String n) {
        Shape shape = x.getShape();
        Shape normalized = DjlLayers.shape(o, "normalized_shape");
        Shape leading = shape.slice(0, shape.dimension() - normalized.dimension());
        NDArray rows = normalize(x.reshape(leading.add(normalized.size())), eps(o)).reshape(shape);
        if (Boolean.TRUE.equals(o.get("affine"))) {
            rows = rows.mul(p.get(n + "weight")).add(p.get(n + "bias"));
        }
        return rows;
    }

    /** Each row of the last axis to mean 0, variance 1: (x − μ) / √(σ² + ε). */
    private static NDArray normalize(NDArray rows, double eps) {
        int last = rows.getShape().dimension() - 1;
        NDArray centred = rows.sub(rows.mean(new int[] {last}, true));
        NDArray variance = centred.square().mean(new int[] {last}, true);
        return centred.div(variance.add(eps).sqrt());
    }

    private static double eps(Map<String, Object> o) {
        return ((Number) o.get("eps")).doubleValue();
    }
}
