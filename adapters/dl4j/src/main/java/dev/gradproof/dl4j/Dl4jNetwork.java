package dev.gradproof.dl4j;

import dev.gradproof.api.Batch;
import dev.gradproof.api.Evaluation;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.api.Parameters;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Deeplearning4j (1.0.0-M2.1) as a gradproof {@link NetworkUnderTest}: builds the spec's network as a
 * {@link MultiLayerNetwork} in double precision, loads the harness's parameters, runs
 * {@link MultiLayerNetwork#computeGradientAndScore()} and returns DL4J's own score and gradient,
 * uncorrected. The harness is there to find and name DL4J's conventions; this class must not hide
 * them. What is chosen, and why (docs/DL4J.md):
 *
 * <ul>
 *   <li>Layers: a {@link DenseLayer} per hidden layer and an {@link OutputLayer} carrying the loss.
 *       DL4J stores W as [nIn][nOut] under {@code <layer>_W} and b as [1][nOut] under {@code <layer>_b}: W is
 *       transposed on the way in and on the way out, nothing else is changed.</li>
 *   <li>Losses: {@code squared_error} → {@code L2} (Σ(a−y)², no ½: the closest DL4J has);
 *       {@code mse} → {@code MSE} (mean over outputs, no ½, as the spec's mse); {@code binary_cross_entropy}
 *       → {@code XENT} (default clipping of the output to [1e-5, 1 − 1e-5]); {@code softmax_cross_entropy}
 *       → {@code MCXENT} (default softmax clipping 1e-10).</li>
 *   <li>Reduction: DL4J has no reduction setting; its {@code miniBatch} flag divides the score by the
 *       batch size when true (the default). {@code mean} → {@code miniBatch(true)}, {@code sum} →
 *       {@code miniBatch(false)}, unless the system property {@code gradproof.dl4j.miniBatch} is
 *       {@code true} or {@code false} (then always that). computeGradientAndScore's gradient is the
 *       sum over the batch either way: with miniBatch(true) the division happens later, in the updater.</li>
 *   <li>L2: DL4J's {@code l2(c)} adds c/2·ΣW² to the score, never divided by the batch size; the spec's
 *       λ/(2m)·ΣW² is therefore configured as {@code l2(λ/m)} (m = N under mean, 1 under sum), and
 *       {@code l2Bias} likewise when biases are penalised. DL4J adds c·W to the gradient only in its
 *       updater, so computeGradientAndScore's gradient has no L2 term.</li>
 *   <li>No dropout, no other regularization, updater {@link NoOp} (computeGradientAndScore does not
 *       run the updater anyway).</li>
 * </ul>
 *
 * Custom (expression) activations are refused with an {@link IllegalArgumentException}.
 * Not thread-safe: one network per instance, rebuilt when the description or the batch size changes.
 */
public final class Dl4jNetwork implements NetworkUnderTest {

    /** System property overriding the reduction → miniBatch mapping: {@code auto} (default), {@code true}, {@code false}. */
    public static final String MINIBATCH_PROPERTY = "gradproof.dl4j.miniBatch";

    /** The DL4J version on the class path (adapters/dl4j/pom.xml). */
    static final String DL4J_VERSION = "1.0.0-M2.1";

    private final Boolean miniBatchOverride;

    private NetworkDescription builtFor;
    private int builtForExamples = -1;
    private MultiLayerNetwork net;
    /** The last batch and its arrays: finite differences send the same batch hundreds of times. */
    private double[][] lastX;
    private double[][] lastY;
    private DataSet lastData;

    /** Mapping reduction to DL4J's miniBatch flag, unless {@value #MINIBATCH_PROPERTY} says otherwise. */
    public Dl4jNetwork() {
        this(parseMiniBatch(System.getProperty(MINIBATCH_PROPERTY, "auto")));
    }

    /**
     * @param miniBatch DL4J's miniBatch flag for every network; null maps the spec's reduction
     *                  ({@code mean} → true, {@code sum} → false)
     */
    public Dl4jNetwork(Boolean miniBatch) {
        this.miniBatchOverride = miniBatch;
    }

    static Boolean parseMiniBatch(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "auto", "" -> null;
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException(MINIBATCH_PROPERTY + " must be auto, true or false, got '"
                    + value + "'");
        };
    }

    @Override
    public String name() {
        return "dl4j-" + DL4J_VERSION;
    }

    @Override
    public String dtype() {
        return "float64";
    }

    @Override
    public Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
        MultiLayerNetwork n = network(network, batch.size());
        load(n, network, parameters);
        DataSet data = data(batch);
        n.setInput(data.getFeatures());
        n.setLabels(data.getLabels());
        n.computeGradientAndScore();
        double score = n.score();
        Gradient g = n.gradient();
        int layers = network.layers().size();
        double[][][] w = new double[layers][][];
        double[][] b = new double[layers][];
        for (int l = 0; l < layers; l++) {
            NetworkDescription.Layer layer = network.layers().get(l);
            INDArray gw = g.getGradientFor(l + "_W");
            if (gw == null) {
                throw new IllegalStateException("DL4J returned no gradient for " + l + "_W");
            }
            w[l] = transpose(gw, layer.in(), layer.out());
            if (layer.bias()) {
                INDArray gb = g.getGradientFor(l + "_b");
                if (gb == null) {
                    throw new IllegalStateException("DL4J returned no gradient for " + l + "_b");
                }
                b[l] = vector(gb, layer.out());
            }
        }
        n.clear();
        return new Evaluation(score, new Parameters(w, b));
    }

    /**
     * DL4J's score alone, through {@link MultiLayerNetwork#score(DataSet, boolean)} in training mode:
     * the same output layer's {@code computeScore} (and the same regularization term) that
     * computeGradientAndScore uses, without the backward pass.
     */
    @Override
    public double loss(NetworkDescription network, Parameters parameters, Batch batch) {
        MultiLayerNetwork n = network(network, batch.size());
        load(n, network, parameters);
        return n.score(data(batch), true);
    }

    private DataSet data(Batch batch) {
        if (lastData == null || !Arrays.deepEquals(lastX, batch.x()) || !Arrays.deepEquals(lastY, batch.y())) {
            lastX = batch.x();
            lastY = batch.y();
            lastData = new DataSet(Nd4j.create(batch.x()), Nd4j.create(batch.y()));
        }
        return lastData;
    }

    private MultiLayerNetwork network(NetworkDescription d, int examples) {
        int key = needsExamples(d) ? examples : -1;
        if (net == null || !d.equals(builtFor) || key != builtForExamples) {
            net = build(d, examples, miniBatch(d));
            builtFor = d;
            builtForExamples = key;
        }
        return net;
    }

    private boolean miniBatch(NetworkDescription d) {
        return miniBatchOverride != null ? miniBatchOverride : d.reduction().equals("mean");
    }

    /** The L2 coefficient depends on N only when there is a penalty under mean. */
    private static boolean needsExamples(NetworkDescription d) {
        return d.l2() > 0 && d.reduction().equals("mean");
    }

    /**
     * The DL4J configuration for a description.
     *
     * @param examples  N, for the L2 coefficient under mean
     * @param miniBatch DL4J's miniBatch flag
     * @throws IllegalArgumentException for what DL4J cannot express (custom activations, softmax
     *                                  inside the network, a loss/activation pair DL4J does not offer)
     */
    static MultiLayerNetwork build(NetworkDescription d, int examples, boolean miniBatch) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        int layers = d.layers().size();
        for (int l = 0; l < layers; l++) {
            NetworkDescription.Layer layer = d.layers().get(l);
            if (layer.activation().equals("custom")) {
                throw new IllegalArgumentException("DL4J adapter: custom activations are not supported (layer " + (l + 1)
                        + ": " + layer.value() + "); DL4J offers a fixed set of activation functions");
            }
            if (layer.activation().equals("softmax") && l != layers - 1) {
                throw new IllegalArgumentException("DL4J adapter: softmax is supported on the last layer only");
            }
        }
        NetworkDescription.Layer last = d.layers().get(layers - 1);
        LossFunction loss = loss(d.loss(), last.activation());
        double m = d.reduction().equals("mean") ? examples : 1;
        double l2 = d.l2() / m;

        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE)
                .seed(12345)
                .updater(new NoOp())
                .weightInit(WeightInit.XAVIER)
                .miniBatch(miniBatch);
        if (l2 > 0) {
            b.l2(l2);
            if (d.l2Biases()) {
                b.l2Bias(l2);
            }
        }
        NeuralNetConfiguration.ListBuilder list = b.list();
        for (int l = 0; l < layers - 1; l++) {
            NetworkDescription.Layer layer = d.layers().get(l);
            list.layer(l, new DenseLayer.Builder().nIn(layer.in()).nOut(layer.out())
                    .activation(activation(layer)).hasBias(layer.bias()).build());
        }
        list.layer(layers - 1, new OutputLayer.Builder(loss).nIn(last.in()).nOut(last.out())
                .activation(activation(last)).hasBias(last.bias()).build());
        MultiLayerConfiguration conf = list.build();
        MultiLayerNetwork n = new MultiLayerNetwork(conf);
        n.init();
        return n;
    }

    /** The spec's loss as the closest DL4J loss function. */
    static LossFunction loss(String type, String lastActivation) {
        return switch (type) {
            // Per example Σ(a−y)², where the spec's is ½Σ(a−y)²: the closest DL4J has (MSE would also
            // divide by the number of outputs).
            case "squared_error" -> LossFunction.L2;
            // (1/k)Σ(a−y)²: DL4J's MSE is exactly the spec's mse.
            case "mse" -> LossFunction.MSE;
            case "binary_cross_entropy" -> {
                if (!lastActivation.equals("sigmoid")) {
                    throw new IllegalArgumentException("DL4J adapter: binary_cross_entropy needs a sigmoid last layer (XENT), "
                            + "got " + lastActivation);
                }
                yield LossFunction.XENT;
            }
            case "softmax_cross_entropy" -> {
                if (!lastActivation.equals("softmax")) {
                    throw new IllegalArgumentException("DL4J adapter: softmax_cross_entropy needs a softmax last layer "
                            + "(MCXENT), got " + lastActivation);
                }
                yield LossFunction.MCXENT;
            }
            default -> throw new IllegalArgumentException("DL4J adapter: loss " + type + " is not supported");
        };
    }

    /** The spec's activation as DL4J's. */
    static IActivation activation(NetworkDescription.Layer layer) {
        return switch (layer.activation()) {
            case "identity" -> Activation.IDENTITY.getActivationFunction();
            case "sigmoid" -> Activation.SIGMOID.getActivationFunction();
            case "tanh" -> Activation.TANH.getActivationFunction();
            case "relu" -> Activation.RELU.getActivationFunction();
            case "leaky_relu" -> new ActivationLReLU(layer.slope());
            case "elu" -> new ActivationELU(layer.alpha());
            case "softplus" -> Activation.SOFTPLUS.getActivationFunction();
            case "softmax" -> Activation.SOFTMAX.getActivationFunction();
            case "custom" -> throw new IllegalArgumentException("DL4J adapter: custom activations are not supported");
            default -> throw new IllegalArgumentException("DL4J adapter: activation " + layer.activation()
                    + " is not supported");
        };
    }

    /** The harness's W_l ([out][in]) as DL4J's {@code l_W} ([nIn][nOut]), b_l as {@code l_b} ([1][nOut]). */
    static void load(MultiLayerNetwork n, NetworkDescription d, Parameters p) {
        for (int l = 0; l < d.layers().size(); l++) {
            NetworkDescription.Layer layer = d.layers().get(l);
            double[][] w = p.weights(l + 1);
            double[][] wt = new double[layer.in()][layer.out()];
            for (int i = 0; i < layer.out(); i++) {
                for (int j = 0; j < layer.in(); j++) {
                    wt[j][i] = w[i][j];
                }
            }
            n.setParam(l + "_W", Nd4j.create(wt));
            if (layer.bias()) {
                double[] bias = Objects.requireNonNull(p.biases(l + 1), "b" + (l + 1));
                n.setParam(l + "_b", Nd4j.create(new double[][] {bias}));
            }
        }
    }

    /** DL4J's [nIn][nOut] gradient as [out][in]. */
    private static double[][] transpose(INDArray g, int in, int out) {
        long[] shape = g.shape();
        if (shape.length != 2 || shape[0] != in || shape[1] != out) {
            throw new IllegalStateException("DL4J returned a weight gradient of shape " + Arrays.toString(shape)
                    + ", expected [" + in + ", " + out + "]");
        }
        double[][] r = new double[out][in];
        for (int i = 0; i < out; i++) {
            for (int j = 0; j < in; j++) {
                r[i][j] = g.getDouble(j, i);
            }
        }
        return r;
    }

    private static double[] vector(INDArray g, int out) {
        if (g.length() != out) {
            throw new IllegalStateException("DL4J returned a bias gradient of length " + g.length() + ", expected " + out);
        }
        double[] r = new double[out];
        for (int i = 0; i < out; i++) {
            r[i] = g.getDouble(i);
        }
        return r;
    }
}
