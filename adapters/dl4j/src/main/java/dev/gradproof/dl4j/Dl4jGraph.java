package dev.gradproof.dl4j;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A built {@link ComputationGraph} and the way in and out of it: spec tensors to DL4J parameters
 * ({@link TensorLink}), the spec's examples to DL4J's layouts (a sequence [N, T, F] is DL4J's NCW
 * [N, F, T]; token ids [N, T] are [N, 1, T]), and DL4J's gradient back to spec tensors. The loss and the
 * gradient are DL4J's, uncorrected ({@link ComputationGraph#computeGradientAndScore()}).
 */
final class Dl4jGraph {

    /** A dropout layer's mask holder and the kind and shape of one example's output. */
    record Dropout(FixedMaskDropout.Holder holder, String kind, int[] shape) {
    }

    /** One perturbation of {@code losses}: spec tensor, row-major flat index in it, delta. */
    record Move(String tensor, int flat, double delta) {
    }

    private final ComputationGraph graph;
    private final List<TensorLink> links;
    private final Map<String, List<TensorLink>> byDl4j = new LinkedHashMap<>();
    private final Map<String, List<TensorLink>> bySpec = new LinkedHashMap<>();
    private final String inputKind;
    private final int[] inputShape;
    private final String outputKind;
    private final int[] outputShape;
    private final Map<String, Dropout> dropouts;
    private INDArray inputs;
    private INDArray labels;

    Dl4jGraph(ComputationGraph graph, List<TensorLink> links, String inputKind, int[] inputShape, String outputKind,
              int[] outputShape, Map<String, Dropout> dropouts) {
        this.graph = graph;
        this.links = List.copyOf(links);
        for (TensorLink l : links) {
            byDl4j.computeIfAbsent(l.dl4jName(), k -> new ArrayList<>()).add(l);
            bySpec.computeIfAbsent(l.name(), k -> new ArrayList<>()).add(l);
        }
        this.inputKind = inputKind;
        this.inputShape = inputShape;
        this.outputKind = outputKind;
        this.outputShape = outputShape;
        this.dropouts = dropouts;
    }

    ComputationGraph graph() {
        return graph;
    }

    /** The spec tensors this graph takes, by name, with their shapes. */
    Map<String, int[]> tensors() {
        Map<String, int[]> r = new LinkedHashMap<>();
        for (TensorLink l : links) {
            r.putIfAbsent(l.name(), l.shape());
        }
        return r;
    }

    /** Sets the parameters, the examples and the masks: what every request starts with. */
    void load(Map<String, double[]> params, double[] x, double[] y, int n, Map<String, double[]> masks) {
        for (String dl4j : byDl4j.keySet()) {
            setParam(dl4j, params);
        }
        inputs = layout(x, n, inputKind, inputShape);
        labels = layout(y, n, outputKind, outputShape);
        graph.setInputs(inputs);
        graph.setLabels(labels);
        for (Map.Entry<String, Dropout> e : dropouts.entrySet()) {
            double[] m = masks.get(e.getKey());
            if (m == null) {
                throw new IllegalArgumentException("masks has no " + e.getKey());
            }
            e.getValue().holder().mask = layout(m, n, e.getValue().kind(), e.getValue().shape());
        }
    }

    private void setParam(String dl4j, Map<String, double[]> params) {
        INDArray current = graph.getParam(dl4j);
        double[] buf = new double[Math.toIntExact(current.length())];
        for (TensorLink l : byDl4j.get(dl4j)) {
            double[] v = params.get(l.name());
            for (int i = 0; i < v.length; i++) {
                int j = l.index().applyAsInt(i);
                if (j != TensorLink.ELSEWHERE) {
                    buf[j] += v[i];
                }
            }
        }
        INDArray value = Nd4j.create(buf, current.shape(), 'c');
        String vertex = byDl4j.get(dl4j).get(0).vertex();
        if (graph.getLayer(vertex) instanceof SameDiffLayer) {
            // A SameDiff layer (SelfAttentionLayer) ignores setParam: its parameters change only when
            // written in place, in the view DL4J hands out (docs/DL4J.md, "setParam").
            current.assign(value);
        } else {
            graph.setParam(dl4j, value);
        }
    }

    /** DL4J's score after {@link #load}, forward only, in training mode (batch statistics, masks). */
    double score() {
        return graph.score(new MultiDataSet(inputs, labels), true);
    }

    /** DL4J's score and gradient after {@link #load}; the gradient by spec tensor, row-major. */
    double scoreAndGradient(Map<String, double[]> gradient) {
        graph.computeGradientAndScore();
        double score = graph.score();
        Gradient g = graph.gradient();
        for (TensorLink l : links) {
            INDArray ga = g.getGradientFor(l.dl4jName());
            if (ga == null) {
                throw new IllegalStateException("DL4J returned no gradient for " + l.dl4jName() + " (" + l.name() + ")");
            }
            double[] flat = Nd4j.toFlattened('c', ga).toDoubleVector();
            double[] out = gradient.computeIfAbsent(l.name(), k -> new double[l.size()]);
            for (int i = 0; i < out.length; i++) {
                int j = l.index().applyAsInt(i);
                if (j != TensorLink.ELSEWHERE) {
                    out[i] = flat[j];
                }
            }
        }
        return score;
    }

    /** One score per move, each applied alone to the loaded parameters (moved in the spec's tensor). */
    double[] losses(Map<String, double[]> params, List<Move> moves) {
        double[] out = new double[moves.size()];
        for (int k = 0; k < out.length; k++) {
            Move m = moves.get(k);
            List<TensorLink> touched = bySpec.get(m.tensor());
            if (touched == null) {
                throw new IllegalArgumentException("perturbation of " + m.tensor() + ", which the network does not have");
            }
            double[] original = params.get(m.tensor());
            double[] moved = original.clone();
            moved[m.flat()] += m.delta();
            Map<String, double[]> p = new LinkedHashMap<>(params);
            p.put(m.tensor(), moved);
            for (TensorLink l : touched) {
                setParam(l.dl4jName(), p);
            }
            out[k] = score();
            for (TensorLink l : touched) {
                setParam(l.dl4jName(), params);
            }
        }
        return out;
    }

    /** N examples, flat row-major in the spec's layout, as DL4J's array. */
    static INDArray layout(double[] flat, int n, String kind, int[] shape) {
        long[] full = new long[shape.length + 1];
        full[0] = n;
        for (int i = 0; i < shape.length; i++) {
            full[i + 1] = shape[i];
        }
        INDArray a = Nd4j.create(flat, full, 'c');
        return switch (kind) {
            case "sequence" -> a.permute(0, 2, 1).dup('c');
            case "tokens" -> a.reshape('c', n, 1, shape[0]);
            default -> a;
        };
    }
}
