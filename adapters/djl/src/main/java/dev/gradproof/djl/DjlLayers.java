package dev.gradproof.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.nn.recurrent.RNN;
import dev.gradproof.api.GraphDescription;

import java.util.List;
import java.util.Map;

/**
 * One spec layer as DJL's functional ops on a batch (axis 0 the examples), each the call a DJL user would
 * make: Conv2d.conv2d, Pool.maxPool2d, BatchNorm.batchNorm, the PyTorch engine's fused lstm/gru/rnn, ...
 * Weight layouts are PyTorch's, the spec's own, so tensors pass through unchanged. Multi-head attention has
 * no DJL op: it is written from matMul and softmax as nn.MultiheadAttention computes it.
 */
final class DjlLayers {
    private DjlLayers() {
    }


    /**
     * The layer's output before its activation.
     *
     * @param fusedNorms whether batch and layer norm use DJL's kernels ({@link DjlNetwork#FUSED_NORMS})
     */
    static NDArray apply(GraphDescription.Layer l, List<NDArray> in, Map<String, NDArray> p, NDArray mask,
                         boolean fusedNorms) {
        NDArray x = in.get(0);
        Map<String, Object> o = l.options();
        String n = l.name() + ".";
        return switch (l.type()) {
            case "dense" -> Linear.linear(x, p.get(n + "weight"), p.get(n + "bias")).singletonOrThrow();
            case "conv1d" -> Conv1d.conv1d(x, p.get(n + "weight"), p.get(n + "bias"), shape(o, "stride"),
                    shape(o, "padding"), shape(o, "dilation")).singletonOrThrow();
            case "conv2d" -> Conv2d.conv2d(x, p.get(n + "weight"), p.get(n + "bias"), shape(o, "stride"),
                    shape(o, "padding"), shape(o, "dilation")).singletonOrThrow();
            case "max_pool2d" -> Pool.maxPool2d(x, shape(o, "kernel"), shape(o, "stride"), shape(o, "padding"), false);
            // count_include_pad: the spec's average divides by the whole window, padding included
            case "avg_pool2d" -> Pool.avgPool2d(x, shape(o, "kernel"), shape(o, "stride"), shape(o, "padding"),
                    false, true);
            case "global_avg_pool" -> (x.getShape().dimension() == 4 ? Pool.globalAvgPool2d(x) : Pool.globalAvgPool1d(x))
                    .reshape(x.getShape().get(0), x.getShape().get(1));
            case "flatten" -> x.reshape(x.getShape().get(0), -1);
            case "batch_norm" -> fusedNorms ? batchNorm(x, o, p, n) : Norms.batchNorm(x, o, p, n);
            case "layer_norm" -> fusedNorms ? layerNorm(x, o, p, n) : Norms.layerNorm(x, o, p, n);
            case "dropout" -> x.mul(mask);
            case "embedding" -> Embedding.embedding(x, p.get(n + "weight"), SparseFormat.DENSE).singletonOrThrow();
            case "position_embedding" -> x.add(p.get(n + "weight"));
            case "rnn", "lstm", "gru" -> recurrent(l.type(), x, o, p, n);
            case "attention" -> Attention.apply(x, o, p, n);
            case "add" -> {
                NDArray sum = x;
                for (NDArray other : in.subList(1, in.size())) {
                    sum = sum.add(other);
                }
                yield sum;
            }
            case "concat" -> NDArrays.concat(new NDList(in),
                    "channels".equals(l.outputKind()) ? 1 : x.getShape().dimension() - 1);
            default -> throw new UnsupportedOperationException("DJL adapter: layer " + l.name() + " has type "
                    + l.type() + ", which this adapter does not know");
        };
    }

    /** Training mode: the batch's own statistics (biased variance), as the spec's batch norm; nothing kept. */
    private static NDArray batchNorm(NDArray x, Map<String, Object> o, Map<String, NDArray> p, String n) {
        NDManager m = x.getManager();
        long c = x.getShape().get(1);
        NDArray gamma = affine(o) ? p.get(n + "weight") : m.ones(new Shape(c), DataType.FLOAT64);
        NDArray beta = affine(o) ? p.get(n + "bias") : m.zeros(new Shape(c), DataType.FLOAT64);
        NDArray runningMean = m.zeros(new Shape(c), DataType.FLOAT64);
        NDArray runningVar = m.ones(new Shape(c), DataType.FLOAT64);
        return BatchNorm.batchNorm(x, runningMean, runningVar, gamma, beta, 1, 0.1f, eps(o), true)
                .singletonOrThrow();
    }

    private static NDArray layerNorm(NDArray x, Map<String, Object> o, Map<String, NDArray> p, String n) {
        Shape normalized = shape(o, "normalized_shape");
        NDManager m = x.getManager();
        NDArray gamma = affine(o) ? p.get(n + "weight") : m.ones(normalized, DataType.FLOAT64);
        NDArray beta = affine(o) ? p.get(n + "bias") : m.zeros(normalized, DataType.FLOAT64);
        return LayerNorm.layerNorm(x, normalized, gamma, beta, eps(o)).singletonOrThrow();
    }

    /**
     * DJL takes ε as a float: the spec's 1e-5 reaches PyTorch as 9.99999974738e-06. Docs/DJL.md lists it;
     * the difference is far below a check's tolerance, but it is DJL's, not ours, so it is not hidden.
     */
    private static float eps(Map<String, Object> o) {
        return ((Number) o.get("eps")).floatValue();
    }

    private static boolean affine(Map<String, Object> o) {
        return Boolean.TRUE.equals(o.get("affine"));
    }

    /** PyTorch's fused kernels, batch first, one layer, one direction; gate orders are PyTorch's (the spec's). */
    private static NDArray recurrent(String type, NDArray x, Map<String, Object> o, Map<String, NDArray> p, String n) {
        boolean bias = Boolean.TRUE.equals(o.get("bias"));
        NDList params = bias
                ? new NDList(p.get(n + "weight_ih"), p.get(n + "weight_hh"), p.get(n + "bias_ih"), p.get(n + "bias_hh"))
                : new NDList(p.get(n + "weight_ih"), p.get(n + "weight_hh"));
        long hidden = ((Number) o.get("hidden")).longValue();
        NDArray h0 = x.getManager().zeros(new Shape(1, x.getShape().get(0), hidden), DataType.FLOAT64);
        NDList out = switch (type) {
            case "lstm" -> x.getNDArrayInternal().lstm(x, new NDList(h0, h0.duplicate()), params, bias, 1, 0, true,
                    false, true);
            case "gru" -> x.getNDArrayInternal().gru(x, h0, params, bias, 1, 0, true, false, true);
            default -> x.getNDArrayInternal().rnn(x, h0, params, bias, 1, RNN.Activation.TANH, 0, true, false, true);
        };
        NDArray seq = out.get(0);
        return "sequence".equals(o.get("return")) ? seq : seq.get(":, -1, :");
    }

    /** The layer's activation, each PyTorch's own kernel where DJL reaches it with a double parameter. */
    static NDArray activate(GraphDescription.Layer l, NDArray z) {
        String a = l.activation();
        if (a == null) {
            return z;
        }
        return switch (a) {
            case "identity" -> z;
            case "sigmoid" -> Activation.sigmoid(z);
            case "tanh" -> Activation.tanh(z);
            case "relu" -> Activation.relu(z);
            case "softplus" -> Activation.softPlus(z);
            case "softmax" -> z.softmax(-1);
            // DJL's leakyRelu and elu take their parameter as a float, which would round the spec's 0.01 to
            // 0.00999999977648: written with where() instead, in double, with PyTorch's branch at 0 (z > 0).
            case "leaky_relu" -> NDArrays.where(z.gt(0.0), z, z.mul(number(l, "slope")));
            case "elu" -> NDArrays.where(z.gt(0.0), z, z.exp().sub(1.0).mul(number(l, "alpha")));
            case "custom" -> throw new UnsupportedOperationException("DJL adapter: layer " + l.name()
                    + " has a custom activation (" + l.activationOptions().get("value") + "), an expression DJL "
                    + "has no operation for");
            default -> throw new UnsupportedOperationException("DJL adapter: layer " + l.name() + " has activation "
                    + a + ", which this adapter does not know");
        };
    }

    private static double number(GraphDescription.Layer l, String key) {
        return ((Number) l.activationOptions().get(key)).doubleValue();
    }

    @SuppressWarnings("unchecked")
    static Shape shape(Map<String, Object> o, String key) {
        List<Number> v = (List<Number>) o.get(key);
        long[] dims = new long[v.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = v.get(i).longValue();
        }
        return new Shape(dims);
    }
}
