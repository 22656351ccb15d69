package dev.gradproof.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;

import java.util.Map;

/**
 * Self-attention as PyTorch's nn.MultiheadAttention computes it (query = key = value = x, batch first):
 * one packed in-projection [W_q; W_k; W_v], heads of width d/h, softmax(q kᵀ / √(d/h)) v, out-projection.
 * DJL has no multi-head attention op, so this is built from DJL's Linear, matMul and softmax.
 */
final class Attention {
    private Attention() {
    }

    static NDArray apply(NDArray x, Map<String, Object> o, Map<String, NDArray> p, String n) {
        int heads = ((Number) o.get("heads")).intValue();
        long batch = x.getShape().get(0);
        long steps = x.getShape().get(1);
        long d = x.getShape().get(2);
        long width = d / heads;
        NDArray packed = Linear.linear(x, p.get(n + "in_proj_weight"), p.get(n + "in_proj_bias")).singletonOrThrow();
        NDArray q = split(packed.get(":, :, 0:" + d), batch, steps, heads, width);
        NDArray k = split(packed.get(":, :, " + d + ":" + 2 * d), batch, steps, heads, width);
        NDArray v = split(packed.get(":, :, " + 2 * d + ":"), batch, steps, heads, width);
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).div(Math.sqrt(width));
        if (Boolean.TRUE.equals(o.get("causal"))) {
            scores = scores.add(causalMask(x.getManager(), steps));
        }
        NDArray mixed = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(batch, steps, d);
        return Linear.linear(mixed, p.get(n + "out_proj.weight"), p.get(n + "out_proj.bias")).singletonOrThrow();
    }

    /** [N, S, d] to [N, h, S, d/h]. */
    private static NDArray split(NDArray t, long batch, long steps, int heads, long width) {
        return t.reshape(batch, steps, heads, width).transpose(0, 2, 1, 3);
    }

    /** −∞ above the diagonal: position i attends to positions 0..i only (PyTorch's float attn_mask). */
    private static NDArray causalMask(NDManager m, long steps) {
        double[] mask = new double[Math.toIntExact(steps * steps)];
        for (int i = 0; i < steps; i++) {
            for (int j = i + 1; j < steps; j++) {
                mask[(int) (i * steps + j)] = Double.NEGATIVE_INFINITY;
            }
        }
        return m.create(mask, new Shape(steps, steps)).toType(DataType.FLOAT64, false);
    }
}
