package dev.gradproof.dl4j;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * DL4J 1.0.0-M2.1's behaviours found through the harness, reproduced with DL4J's own API alone (no
 * adapter code), so each can be shown to DL4J's maintainers as it is (docs/DL4J.md, "Findings on the
 * layer graphs"). Each test pins what DL4J does today: a fix in DL4J makes it fail, on purpose.
 */
class Dl4jFindingsTest {

    private static ComputationGraph attention() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(7)
                .updater(new NoOp()).weightInit(WeightInit.XAVIER).miniBatch(false)
                .graphBuilder().addInputs("in").setInputTypes(InputType.recurrent(4, 3))
                .addLayer("attn", new SelfAttentionLayer.Builder().nOut(4).nHeads(2).headSize(2).projectInput(true).build(), "in")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build(), "attn")
                .setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        Nd4j.getRandom().setSeed(11);
        g.setInputs(Nd4j.randn(DataType.DOUBLE, 2, 4, 3));
        g.setLabels(Nd4j.randn(DataType.DOUBLE, 2, 2, 3));
        return g;
    }

    /** DL4J's returned gradient of {@code param}[0] over the central difference of its own score. */
    private static double gradientOverOwnDerivative(ComputationGraph g, String param) {
        g.computeGradientAndScore();
        double analytic = Nd4j.toFlattened('c', g.gradient().getGradientFor(param)).getDouble(0);
        INDArray view = g.getParam(param);
        INDArray flat = Nd4j.toFlattened('c', view);
        double h = 1e-6;
        double x = flat.getDouble(0);
        flat.putScalar(0, x + h);
        view.assign(flat.reshape('c', view.shape()));
        g.computeGradientAndScore();
        double up = g.score();
        flat.putScalar(0, x - h);
        view.assign(flat.reshape('c', view.shape()));
        g.computeGradientAndScore();
        double down = g.score();
        flat.putScalar(0, x);
        view.assign(flat.reshape('c', view.shape()));
        return analytic / ((up - down) / (2 * h));
    }

    @Test
    void selfAttentionGradientsAreTwiceTheDerivativeOfItsOwnScore() {
        ComputationGraph g = attention();
        for (String p : new String[] {"attn_Wq", "attn_Wk", "attn_Wv", "attn_Wo"}) {
            assertEquals(2.0, gradientOverOwnDerivative(g, p), 1e-6, p);
        }
        // The output layer after it is consistent: the factor is the attention layer's own.
        assertEquals(1.0, gradientOverOwnDerivative(g, "out_W"), 1e-6, "out_W");
    }

    @Test
    void setParamDoesNotReachASameDiffLayer() {
        ComputationGraph g = attention();
        INDArray before = g.getParam("attn_Wq").dup();
        g.setParam("attn_Wq", Nd4j.zeros(DataType.DOUBLE, before.shape()));
        assertEquals(before, g.getParam("attn_Wq"), "setParam left the SameDiff layer's parameter as it was");
        g.getParam("attn_Wq").assign(0.0);
        assertEquals(0.0, g.getParam("attn_Wq").sumNumber().doubleValue(), "written in place, it changes");
    }

    @Test
    void lossLayerAfterSoftmaxScoresDifferentlyAfterItsBackwardPass() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(7)
                .updater(new NoOp()).weightInit(WeightInit.XAVIER).miniBatch(false)
                .graphBuilder().addInputs("in").setInputTypes(InputType.feedForward(3))
                .addLayer("dense", new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nOut(4)
                        .activation(Activation.IDENTITY).build(), "in")
                .addLayer("loss", new org.deeplearning4j.nn.conf.layers.LossLayer.Builder(LossFunction.MSE)
                        .activation(Activation.SOFTMAX).build(), "dense")
                .setOutputs("loss").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 5, 3);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 5, 4);
        // The score by hand: per example mean over 4 outputs of (softmax(Wx + b) - y)², summed over 5.
        INDArray p = Nd4j.nn().softmax(x.mmul(g.getParam("dense_W")).addRowVector(g.getParam("dense_b")), 1);
        double byHand = p.sub(y).muli(p.sub(y)).sumNumber().doubleValue() / 4;
        double forward = g.score(new org.nd4j.linalg.dataset.DataSet(x, y), true);
        g.setInputs(x);
        g.setLabels(y);
        g.computeGradientAndScore();
        double withGradient = g.score();
        assertEquals(byHand / 5, forward, 1e-12 * byHand, "score(): divided by N although miniBatch(false)");
        org.junit.jupiter.api.Assertions.assertNotEquals(forward, withGradient, 1e-6 * byHand,
                "computeGradientAndScore's score is not score()'s");
    }

    @Test
    void leakyReluBackwardUsesTheSlopeInSinglePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        ActivationLReLU act = new ActivationLReLU(0.01);
        INDArray x = Nd4j.create(new double[] {-1.0});
        assertEquals(-0.01, act.getActivation(x.dup(), true).getDouble(0), 0.0, "forward: the double slope");
        double backward = act.backprop(x.dup(), Nd4j.create(new double[] {1.0})).getFirst().getDouble(0);
        assertEquals((double) 0.01f, backward, 0.0, "backward: the slope rounded to float");
    }
}
