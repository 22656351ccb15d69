package dev.gradproof.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.gradproof.api.Batch;
import dev.gradproof.api.GraphDescription;
import dev.gradproof.api.Parameters;
import dev.gradproof.api.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A layer graph's loss as DJL arrays in one manager: parameters, batch, forward pass and loss. */
final class DjlGraph {
    final Map<String, NDArray> tensors = new LinkedHashMap<>();
    final NDArray loss;

    /**
     * @param gradients whether the parameters record a gradient (set before the forward pass, as
     *                  DJL's GradientCollector needs)
     * @param fusedNorms whether batch and layer norm use DJL's kernels ({@link DjlNetwork#FUSED_NORMS})
     */
    DjlGraph(NDManager m, GraphDescription g, Parameters p, Batch batch, boolean gradients, boolean fusedNorms) {
        for (GraphDescription.Layer l : g.layers()) {
            for (String name : l.parameters().keySet()) {
                Tensor t = p.tensor(name);
                NDArray a = m.create(t.data(), new Shape(longs(t.shape())));
                if (gradients) {
                    a.setRequiresGradient(true);
                }
                tensors.put(name, a);
            }
        }
        int n = batch.size();
        List<Integer> in = new ArrayList<>(List.of(n));
        in.addAll(g.input());
        NDArray x = rows(m, batch.x(), in);
        if ("tokens".equals(g.inputKind())) {
            x = x.toType(DataType.INT64, false);
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        out.put("input", x);
        NDArray z = null;
        for (GraphDescription.Layer l : g.layers()) {
            List<NDArray> from = new ArrayList<>();
            for (String f : l.from()) {
                from.add(out.get(f));
            }
            NDArray mask = null;
            if (l.type().equals("dropout")) {
                double[][] rows = batch.masks().get(l.name());
                if (rows == null) {
                    throw new IllegalArgumentException("DJL adapter: the batch has no dropout mask for layer " + l.name());
                }
                mask = rows(m, rows, withBatch(n, l.output()));
            }
            z = DjlLayers.apply(l, from, tensors, mask, fusedNorms);
            out.put(l.name(), DjlLayers.activate(l, z));
        }
        NDArray a = out.get(g.layers().get(g.layers().size() - 1).name());
        NDArray y = rows(m, batch.y(), withBatch(n, a.getShape().slice(1)));
        loss = DjlLoss.total(g, z, a, y, tensors);
    }

    private static List<Integer> withBatch(int n, List<Integer> shape) {
        List<Integer> s = new ArrayList<>(List.of(n));
        s.addAll(shape);
        return s;
    }

    private static List<Integer> withBatch(int n, Shape shape) {
        List<Integer> s = new ArrayList<>(List.of(n));
        for (long d : shape.getShape()) {
            s.add(Math.toIntExact(d));
        }
        return s;
    }

    /** Rows of a batch (each one example, flattened row-major) as one float64 array of the given shape. */
    private static NDArray rows(NDManager m, double[][] rows, List<Integer> shape) {
        int width = rows.length == 0 ? 0 : rows[0].length;
        double[] flat = new double[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * width, width);
        }
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.get(i);
        }
        return m.create(flat, new Shape(dims));
    }

    private static long[] longs(int[] shape) {
        long[] out = new long[shape.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = shape[i];
        }
        return out;
    }
}
