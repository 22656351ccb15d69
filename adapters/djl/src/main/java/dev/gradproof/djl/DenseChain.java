package dev.gradproof.djl;

import dev.gradproof.api.GraphDescription;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.Parameters;
import dev.gradproof.api.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dense chain as the one-type layer graph it is (layer l is {@code dense}, tensors W_l and b_l), so that
 * both kinds of network run through the same DJL code.
 */
final class DenseChain {
    private DenseChain() {
    }

    static GraphDescription asGraph(NetworkDescription d) {
        List<GraphDescription.Layer> layers = new ArrayList<>();
        List<String> penalised = new ArrayList<>();
        String previous = "input";
        for (int l = 1; l <= d.layers().size(); l++) {
            NetworkDescription.Layer layer = d.layers().get(l - 1);
            Map<String, List<Integer>> tensors = new LinkedHashMap<>();
            tensors.put(weight(l), List.of(layer.out(), layer.in()));
            penalised.add(weight(l));
            if (layer.bias()) {
                tensors.put(bias(l), List.of(layer.out()));
                if (d.l2Biases()) {
                    penalised.add(bias(l));
                }
            }
            Map<String, Object> activation = new LinkedHashMap<>();
            switch (layer.activation()) {
                case "leaky_relu" -> activation.put("slope", layer.slope());
                case "elu" -> activation.put("alpha", layer.alpha());
                case "custom" -> activation.put("value", layer.value());
                default -> { }
            }
            String name = "layer" + l;   // its tensors: layer1.weight is W1, layer1.bias b1
            layers.add(new GraphDescription.Layer(name, "dense", List.of(previous), layer.activation(),
                    Map.of("units", layer.out(), "bias", layer.bias()), tensors, List.of(layer.out()), "features",
                    activation));
            previous = name;
        }
        Map<String, Object> loss = new LinkedHashMap<>();
        loss.put("type", d.loss());
        loss.put("reduction", d.reduction());
        loss.put("l2", d.l2());
        loss.put("l2_biases", d.l2Biases());
        loss.put("delta", 1.0);
        loss.put("steps", "mean");
        loss.put("l2_tensors", penalised);
        return new GraphDescription(List.of(d.inputs()), "features", layers, loss);
    }

    private static String weight(int l) {
        return "layer" + l + ".weight";
    }

    private static String bias(int l) {
        return "layer" + l + ".bias";
    }

    /** W_l and b_l as tensors named as {@link #asGraph} names them. */
    static Parameters asTensors(Parameters p) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        for (int l = 1; l <= p.layers(); l++) {
            double[][] w = p.weights(l);
            int cols = w.length == 0 ? 0 : w[0].length;
            double[] flat = new double[w.length * cols];
            for (int r = 0; r < w.length; r++) {
                System.arraycopy(w[r], 0, flat, r * cols, cols);
            }
            t.put(weight(l), new Tensor(new int[] {w.length, cols}, flat));
            if (p.biases(l) != null) {
                t.put(bias(l), new Tensor(new int[] {p.biases(l).length}, p.biases(l).clone()));
            }
        }
        return new Parameters(t);
    }

    /** The tensors back as a dense chain's matrices, shaped like {@code like}. */
    static Parameters fromTensors(Parameters tensors, Parameters like) {
        Parameters out = Parameters.zerosLike(like);
        for (int l = 1; l <= like.layers(); l++) {
            double[] w = tensors.tensor(weight(l)).data();
            double[][] into = out.weights(l);
            int cols = into.length == 0 ? 0 : into[0].length;
            for (int r = 0; r < into.length; r++) {
                System.arraycopy(w, r * cols, into[r], 0, cols);
            }
            if (out.biases(l) != null) {
                System.arraycopy(tensors.tensor(bias(l)).data(), 0, out.biases(l), 0, out.biases(l).length);
            }
        }
        return out;
    }
}
