package dev.gradproof.dl4j;

import com.fasterxml.jackson.databind.JsonNode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A protocol 2 network ({@code hello}'s {@code network}, docs/PROTOCOL.md) as a DL4J
 * {@link ComputationGraph}, with a {@link TensorLink} from every spec tensor to the DL4J parameter that
 * holds it. Each spec layer becomes the DL4J layer or vertex of the same name with an identity
 * activation; its activation, if any, is an {@link ActivationLayer} after it, except on the last layer,
 * where it goes into the {@link LossLayer} that carries the loss (so DL4J's losses see the activation
 * they are defined with: MCXENT after softmax, XENT after sigmoid). What DL4J cannot build exactly is
 * refused here with an {@link IllegalArgumentException} naming the layer and the reason (docs/DL4J.md,
 * "Layer graphs").
 */
final class GraphBuilder {

    /** DL4J's LSTM stacks its gate blocks as [g, f, o, i] (LSTMHelpers); PyTorch's, as [i, f, g, o]. */
    static final int[] LSTM_GATES = {3, 1, 0, 2};

    private final JsonNode network;
    private final ComputationGraphConfiguration.GraphBuilder graph;
    private final Map<String, String> outputOf = new HashMap<>();
    private final Map<String, JsonNode> layerByName = new HashMap<>();
    private final List<TensorLink> links = new ArrayList<>();
    private final Map<String, Dl4jGraph.Dropout> dropouts = new LinkedHashMap<>();

    private GraphBuilder(JsonNode network, boolean miniBatch) {
        this.network = network;
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        graph = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE)
                .seed(12345)
                .updater(new NoOp())
                .weightInit(WeightInit.XAVIER)
                .miniBatch(miniBatch)
                .graphBuilder();
    }

    /** Builds the graph, or throws {@link IllegalArgumentException} with the reason DL4J cannot. */
    static Dl4jGraph build(JsonNode network, boolean miniBatch) {
        return new GraphBuilder(network, miniBatch).build();
    }

    private Dl4jGraph build() {
        JsonNode loss = network.get("loss");
        if (network.get("l2").get("lambda").asDouble() > 0) {
            throw refuse("L2 on a layer graph is not mapped (DL4J adds its L2 gradient in the updater, docs/DL4J.md "
                    + "convention 3)");
        }
        JsonNode input = network.get("input");
        String inputKind = input.get("kind").asText();
        int[] inputShape = ints(input.get("shape"));
        graph.addInputs("input");
        // Token ids are declared with the vocabulary as their feature count: DL4J sets an embedding's
        // nIn from the input type, whatever the builder said (recurrent(1, T) gave a 1-row table).
        graph.setInputTypes(inputKind.equals("tokens")
                ? InputType.recurrent(input.get("vocabulary").asInt(), inputShape[0])
                : inputType(inputKind, inputShape));
        outputOf.put("input", "input");
        JsonNode layers = network.get("layers");
        JsonNode last = layers.get(layers.size() - 1);
        String outKind = last.get("output").get("kind").asText();
        int[] outShape = ints(last.get("output").get("shape"));
        boolean sequence = outKind.equals("sequence");
        if (!sequence && !outKind.equals("features")) {
            throw refuse("the last layer (" + last.get("name").asText() + ") outputs " + outKind
                    + "; DL4J's loss layers here take features or a sequence");
        }
        // A dense last layer is DL4J's OutputLayer (RnnOutputLayer on a sequence), as in the dense chains:
        // it honours miniBatch and recomputes its pre-activation for the score. A LossLayer does neither
        // (docs/DL4J.md, "LossLayer"), so it carries the loss only after a last layer of another type.
        boolean outputLayer = last.get("type").asText().equals("dense");
        for (int l = 0; l < layers.size(); l++) {
            JsonNode layer = layers.get(l);
            layerByName.put(layer.get("name").asText(), layer);
            if (l == layers.size() - 1 && outputLayer) {
                output(layer, loss, sequence);
            } else {
                layer(layer, l == layers.size() - 1);
            }
        }
        if (!outputLayer) {
            IActivation act = activation(last);
            LossFunction fn = loss(loss, last);
            Layer lossLayer = sequence
                    ? new RnnLossLayer.Builder(fn).activation(act).build()
                    : new LossLayer.Builder(fn).activation(act).build();
            graph.addLayer("loss", lossLayer, outputOf.get(last.get("name").asText()));
            graph.setOutputs("loss");
        } else {
            graph.setOutputs(last.get("name").asText());
        }
        ComputationGraph g = new ComputationGraph(graph.build());
        g.init();
        return new Dl4jGraph(g, links, inputKind, inputShape, outKind, outShape, dropouts);
    }

    private void layer(JsonNode layer, boolean last) {
        String name = layer.get("name").asText();
        String type = layer.get("type").asText();
        List<String> from = new ArrayList<>();
        for (JsonNode f : layer.get("from")) {
            from.add(outputOf.get(f.asText()));
        }
        String[] in = from.toArray(String[]::new);
        switch (type) {
            case "dense" -> {
                int units = layer.get("units").asInt();
                graph.addLayer(name, new DenseLayer.Builder().nOut(units).hasBias(layer.get("bias").asBoolean())
                        .activation(Activation.IDENTITY).build(), in);
                int[] w = shape(layer, name + ".weight");
                links.add(new TensorLink(name + ".weight", w, name, "W", TensorLink.transposed(w[0], w[1])));
                bias(layer, name, "b");
            }
            case "conv2d", "conv1d" -> {
                int[] k = ints(layer.get("kernel"));
                int[] s = ints(layer.get("stride"));
                int[] p = ints(layer.get("padding"));
                int[] d = ints(layer.get("dilation"));
                int out = layer.get("out_channels").asInt();
                boolean bias = layer.get("bias").asBoolean();
                Layer conv = type.equals("conv2d")
                        ? new ConvolutionLayer.Builder().kernelSize(k).stride(s).padding(p).dilation(d).nOut(out)
                        .hasBias(bias).convolutionMode(ConvolutionMode.Truncate).activation(Activation.IDENTITY).build()
                        : new Convolution1DLayer.Builder().kernelSize(k[0]).stride(s[0]).padding(p[0]).dilation(d[0])
                        .nOut(out).hasBias(bias).convolutionMode(ConvolutionMode.Truncate)
                        .activation(Activation.IDENTITY).build();
                graph.addLayer(name, conv, in);
                int[] w = shape(layer, name + ".weight");
                // DL4J's Convolution1DLayer reports W as [out, in, k, 1] but its op reads the buffer as
                // [k, in, out] (docs/DL4J.md, "Parameter layouts"); conv2d's W is PyTorch's [out, in, kh, kw].
                links.add(new TensorLink(name + ".weight", w, name, "W",
                        type.equals("conv2d") ? TensorLink.same() : TensorLink.reversedAxes(w)));
                bias(layer, name, "b");
            }
            case "max_pool2d", "avg_pool2d" -> graph.addLayer(name, new SubsamplingLayer.Builder(
                    type.equals("max_pool2d") ? PoolingType.MAX : PoolingType.AVG)
                    .kernelSize(ints(layer.get("kernel"))).stride(ints(layer.get("stride")))
                    .padding(ints(layer.get("padding"))).convolutionMode(ConvolutionMode.Truncate)
                    .avgPoolIncludePadInDivisor(true).build(), in);
            case "global_avg_pool" -> graph.addLayer(name, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), in);
            case "flatten" -> {
                int[] s = shapeOf(layer.get("from").get(0).asText());
                if (s.length == 3) {
                    graph.addVertex(name, new PreprocessorVertex(new CnnToFeedForwardPreProcessor(s[1], s[2], s[0])), in);
                } else if (s.length == 2) {
                    boolean steps = kindOf(layer.get("from").get(0).asText()).equals("sequence");
                    // DL4J holds [T, F] as [F, T]; [C, L] as it is.
                    graph.addVertex(name, new PreprocessorVertex(steps ? new FlattenPreProcessor(true, s[1], s[0])
                            : new FlattenPreProcessor(false, s[0], s[1])), in);
                } else {
                    throw refuse(layer, "flatten of a " + s.length + "-axis input is not mapped");
                }
            }
            case "add" -> graph.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), in);
            case "concat" -> graph.addVertex(name, new MergeVertex(), in);
            case "batch_norm" -> {
                boolean affine = layer.get("affine").asBoolean();
                graph.addLayer(name, new BatchNormalization.Builder().eps(layer.get("eps").asDouble())
                        .lockGammaBeta(!affine).useLogStd(false).activation(Activation.IDENTITY).build(), in);
                if (affine) {
                    links.add(new TensorLink(name + ".weight", shape(layer, name + ".weight"), name, "gamma",
                            TensorLink.same()));
                    links.add(new TensorLink(name + ".bias", shape(layer, name + ".bias"), name, "beta",
                            TensorLink.same()));
                }
            }
            case "embedding" -> {
                int[] shape = ints(network.get("input").get("shape"));
                if (!layer.get("from").get(0).asText().equals("input")
                        || !network.get("input").get("kind").asText().equals("tokens")) {
                    throw refuse(layer, "an embedding must read the token ids of the input");
                }
                graph.addLayer(name, new EmbeddingSequenceLayer.Builder().nIn(layer.get("vocabulary").asInt())
                        .nOut(layer.get("dim").asInt()).inputLength(shape[0]).hasBias(false)
                        .activation(Activation.IDENTITY).build(), in);
                links.add(new TensorLink(name + ".weight", shape(layer, name + ".weight"), name, "W", TensorLink.same()));
            }
            case "lstm", "rnn" -> recurrent(layer, name, type, in);
            case "attention" -> attention(layer, name, in);
            case "dropout" -> {
                FixedMaskDropout d = new FixedMaskDropout(name);
                dropouts.put(name, new Dl4jGraph.Dropout(d.holder(), layer.get("output").get("kind").asText(),
                        ints(layer.get("output").get("shape"))));
                graph.addLayer(name, new DropoutLayer.Builder(d).build(), in);
            }
            default -> throw refuse(layer, typeReason(type));
        }
        String out = name;
        if (!last && !layer.get("activation").isNull()) {
            out = name + "__act";
            graph.addLayer(out, new ActivationLayer.Builder().activation(activation(layer)).build(), name);
        }
        outputOf.put(name, out);
    }

    private void output(JsonNode layer, JsonNode loss, boolean sequence) {
        String name = layer.get("name").asText();
        String[] in = {outputOf.get(layer.get("from").get(0).asText())};
        LossFunction fn = loss(loss, layer);
        int units = layer.get("units").asInt();
        boolean bias = layer.get("bias").asBoolean();
        Layer out = sequence
                ? new RnnOutputLayer.Builder(fn).nOut(units).hasBias(bias).activation(activation(layer)).build()
                : new OutputLayer.Builder(fn).nOut(units).hasBias(bias).activation(activation(layer)).build();
        graph.addLayer(name, out, in);
        int[] w = shape(layer, name + ".weight");
        links.add(new TensorLink(name + ".weight", w, name, "W", TensorLink.transposed(w[0], w[1])));
        bias(layer, name, "b");
        outputOf.put(name, name);
    }

    private static String typeReason(String type) {
        return switch (type) {
            case "gru" -> "DL4J 1.0.0-M2.1 has no GRU layer (only LSTM, GravesLSTM and SimpleRnn)";
            case "layer_norm" -> "DL4J 1.0.0-M2.1 has no layer normalisation layer (only SimpleRnn's built-in one)";
            case "position_embedding" -> "DL4J 1.0.0-M2.1 has no learned position embedding layer";
            default -> "type " + type + " is not mapped";
        };
    }

    private void recurrent(JsonNode layer, String name, String type, String[] in) {
        int hidden = layer.get("hidden").asInt();
        String inKind = kindOf(layer.get("from").get(0).asText());
        if (!inKind.equals("sequence")) {
            throw refuse(layer, type + " reads " + inKind + "; DL4J's recurrent layers read a sequence");
        }
        boolean lstm = type.equals("lstm");
        Layer cell = lstm
                ? new LSTM.Builder().nOut(hidden).activation(Activation.TANH)
                .gateActivationFunction(Activation.SIGMOID).build()
                : new SimpleRnn.Builder().nOut(hidden).activation(Activation.TANH).build();
        if (layer.get("return").asText().equals("last")) {
            cell = new LastTimeStep(cell);
        }
        graph.addLayer(name, cell, in);
        int[] order = lstm ? LSTM_GATES : new int[] {0};
        int[] ih = shape(layer, name + ".weight_ih");
        int[] hh = shape(layer, name + ".weight_hh");
        links.add(new TensorLink(name + ".weight_ih", ih, name, "W", TensorLink.gates(order, hidden, ih[1], true)));
        links.add(new TensorLink(name + ".weight_hh", hh, name, "RW", TensorLink.gates(order, hidden, hh[1], true)));
        if (layer.get("bias").asBoolean()) {
            // DL4J has one bias per gate; PyTorch two (input and recurrent), which only ever appear summed.
            for (String b : new String[] {"bias_ih", "bias_hh"}) {
                links.add(new TensorLink(name + "." + b, shape(layer, name + "." + b), name, "b",
                        TensorLink.gates(order, hidden, 1, false)));
            }
        }
    }

    private void attention(JsonNode layer, String name, String[] in) {
        if (layer.get("causal").asBoolean()) {
            throw refuse(layer, "causal attention: DL4J's SelfAttentionLayer has no causal mask");
        }
        if (layer.get("bias").asBoolean()) {
            throw refuse(layer, "attention with biases: DL4J's SelfAttentionLayer projects without biases "
                    + "(bias: false is served)");
        }
        int heads = layer.get("heads").asInt();
        int dim = layer.get("dim").asInt();
        graph.addLayer(name, new SelfAttentionLayer.Builder().nOut(dim).nHeads(heads).headSize(dim / heads)
                .projectInput(true).build(), in);
        // in_proj_weight [3·dim][dim]: rows 0..dim are the queries' projection, then keys, then values;
        // DL4J's Wq, Wk, Wv are [heads][headSize][nIn], the same rows in the same order.
        int[] inProj = shape(layer, name + ".in_proj_weight");
        String[] keys = {"Wq", "Wk", "Wv"};
        for (int part = 0; part < 3; part++) {
            int from = part * dim * dim;
            int to = from + dim * dim;
            links.add(new TensorLink(name + ".in_proj_weight", inProj, name, keys[part],
                    i -> i >= from && i < to ? i - from : TensorLink.ELSEWHERE));
        }
        int[] out = shape(layer, name + ".out_proj.weight");
        links.add(new TensorLink(name + ".out_proj.weight", out, name, "Wo", TensorLink.transposed(out[0], out[1])));
    }

    private void bias(JsonNode layer, String name, String key) {
        if (layer.get("bias").asBoolean()) {
            links.add(new TensorLink(name + ".bias", shape(layer, name + ".bias"), name, key, TensorLink.same()));
        }
    }

    private static int[] shape(JsonNode layer, String tensor) {
        JsonNode s = layer.get("parameters").get(tensor);
        if (s == null) {
            throw new IllegalArgumentException("DL4J adapter: layer " + layer.get("name").asText() + " has no " + tensor);
        }
        return ints(s);
    }

    private int[] shapeOf(String name) {
        return name.equals("input") ? ints(network.get("input").get("shape"))
                : ints(layerByName.get(name).get("output").get("shape"));
    }

    private String kindOf(String name) {
        return name.equals("input") ? network.get("input").get("kind").asText()
                : layerByName.get(name).get("output").get("kind").asText();
    }

    static InputType inputType(String kind, int[] s) {
        return switch (kind) {
            case "features" -> InputType.feedForward(s[0]);
            case "channels" -> s.length == 3 ? InputType.convolutional(s[1], s[2], s[0]) : InputType.recurrent(s[0], s[1]);
            case "sequence" -> InputType.recurrent(s[1], s[0]);
            default -> throw new IllegalArgumentException("DL4J adapter: input kind " + kind + " is not mapped");
        };
    }

    /** The spec's activation as DL4J's, identity for none. */
    static IActivation activation(JsonNode layer) {
        JsonNode a = layer.get("activation");
        if (a == null || a.isNull()) {
            return Activation.IDENTITY.getActivationFunction();
        }
        String name = a.get("name").asText();
        return switch (name) {
            case "identity" -> Activation.IDENTITY.getActivationFunction();
            case "sigmoid" -> Activation.SIGMOID.getActivationFunction();
            case "tanh" -> Activation.TANH.getActivationFunction();
            case "relu" -> Activation.RELU.getActivationFunction();
            case "leaky_relu" -> new ActivationLReLU(a.get("slope").asDouble());
            case "elu" -> new ActivationELU(a.get("alpha").asDouble());
            case "softplus" -> Activation.SOFTPLUS.getActivationFunction();
            case "softmax" -> Activation.SOFTMAX.getActivationFunction();
            default -> throw refuse(layer, "activation " + name + " is not supported (DL4J offers a fixed set)");
        };
    }

    /** The spec's loss as DL4J's, with the activation it must follow. */
    static LossFunction loss(JsonNode loss, JsonNode last) {
        String type = loss.get("type").asText();
        JsonNode a = last.get("activation");
        String act = a == null || a.isNull() ? "identity" : a.get("name").asText();
        return switch (type) {
            case "squared_error" -> LossFunction.L2;
            case "mse" -> LossFunction.MSE;
            case "l1" -> LossFunction.MEAN_ABSOLUTE_ERROR;
            case "binary_cross_entropy" -> LossFunction.XENT;
            case "softmax_cross_entropy" -> {
                if (!act.equals("softmax")) {
                    throw refuse(last, "softmax_cross_entropy needs softmax on the last layer (MCXENT)");
                }
                yield LossFunction.MCXENT;
            }
            case "kl_divergence" -> {
                if (!act.equals("softmax")) {
                    throw refuse(last, "kl_divergence on log-probabilities: DL4J's KL_DIVERGENCE reads probabilities "
                            + "(served after softmax on the last layer)");
                }
                yield LossFunction.KL_DIVERGENCE;
            }
            case "hinge" -> throw new IllegalArgumentException("DL4J adapter: loss hinge is not mapped: DL4J's HINGE is "
                    + "the binary max(0, 1 - y·a) with labels ±1, not the multi-class margin loss of the spec");
            case "huber" -> throw new IllegalArgumentException("DL4J adapter: loss huber is not mapped: DL4J 1.0.0-M2.1 "
                    + "has no Huber loss");
            default -> throw new IllegalArgumentException("DL4J adapter: loss " + type + " is not mapped");
        };
    }

    private static IllegalArgumentException refuse(JsonNode layer, String why) {
        return new IllegalArgumentException("DL4J adapter: layer " + layer.get("name").asText() + " ("
                + layer.get("type").asText() + "): " + why);
    }

    private static IllegalArgumentException refuse(String why) {
        return new IllegalArgumentException("DL4J adapter: " + why);
    }

    static int[] ints(JsonNode n) {
        int[] r = new int[n.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = n.get(i).asInt();
        }
        return r;
    }
}
