package dev.gradproof.spec;

import static dev.gradproof.spec.SpecTexts.edit;
import static dev.gradproof.spec.SpecTexts.error;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LossValidationTest {

    private static String loss(String rest) {
        return edit("  type: squared_error\n", "  type: squared_error\n" + rest);
    }

    @Test
    void typeIsRequiredAndKnown() {
        assertEquals("specs/x.yaml:9:9: loss.type: expected one of squared_error, mse, binary_cross_entropy, "
                + "softmax_cross_entropy, l1, huber, hinge, kl_divergence, got 'cross_entropy' (did you mean 'binary_cross_entropy' or 'softmax_cross_entropy'?)",
                error(edit("squared_error", "cross_entropy")));
        assertEquals("specs/x.yaml:9:3: loss: missing required key 'type'", error(edit("type: squared_error", "reduction: sum")));
        assertEquals("specs/x.yaml:8:7: loss: expected a map, got 'mse' (did you mean `loss: {type: mse}`?)", error(edit("loss:\n  type: squared_error", "loss: mse")));
    }

    @Test
    void reductionIsMeanOrSum() {
        assertEquals("specs/x.yaml:10:14: loss.reduction: expected one of mean, sum, got 'avg'", error(loss("  reduction: avg\n")));
    }

    @Test
    void reductionNoneExplainsWhyAGradientNeedsAScalar() {
        assertEquals("specs/x.yaml:10:14: loss.reduction: 'none' leaves one loss per example, not a scalar: a gradient "
                + "needs a scalar loss (PyTorch: \"grad can be implicitly created only for scalar outputs\"); use mean or sum",
                error(loss("  reduction: none\n")));
    }

    @Test
    void softmaxCrossEntropyNeedsASoftmaxLastLayer() {
        assertEquals("specs/x.yaml:9:9: loss.type: softmax_cross_entropy needs a softmax last layer (the loss is "
                + "-sum y log softmax(z)); the last layer's activation is sigmoid: use softmax",
                error(edit("squared_error", "softmax_cross_entropy")));
    }

    @Test
    void binaryCrossEntropyNeedsASigmoidLastLayer() {
        assertEquals("specs/x.yaml:9:9: loss.type: binary_cross_entropy needs outputs in (0, 1); the last layer's "
                + "activation is tanh: use sigmoid",
                error(edit(edit("activation: sigmoid", "activation: tanh"), "squared_error", "binary_cross_entropy")));
    }

    @Test
    void l2IsANonNegativeNumberOrAMap() {
        assertEquals("specs/x.yaml:10:7: loss.l2: expected a number >= 0, got -1", error(loss("  l2: -1\n")));
        assertEquals("specs/x.yaml:10:7: loss.l2: expected a number >= 0, got 'big'", error(loss("  l2: big\n")));
        assertEquals("specs/x.yaml:10:7: loss.l2: missing required key 'lambda'", error(loss("  l2: {biases: true}\n")));
        assertEquals("specs/x.yaml:10:27: loss.l2.biases: expected true or false, got 2", error(loss("  l2: {lambda: 1, biases: 2}\n")));
        assertEquals("specs/x.yaml:10:8: loss.l2: unknown key 'lamda' (did you mean 'lambda'?); allowed: lambda, biases",
                error(loss("  l2: {lamda: 1}\n")));
    }
}
