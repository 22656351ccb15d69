package dev.gradproof.mutants;

import dev.gradproof.spec.Spec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.gradproof.network.NetworkFactory;
import dev.gradproof.spec.LayerSpec;
import dev.gradproof.spec.NetworkSpec;

class ApplicabilityTest {

    private static Applicability applies(String mutant, Spec spec) {
        return Mutants.byName(mutant).applies(spec);
    }

    private static void yes(String mutant, Spec spec) {
        Applicability a = applies(mutant, spec);
        assertTrue(a.applicable(), mutant + ": " + a);
        assertEquals("applicable", a.toString());
    }

    private static void no(String mutant, Spec spec, String reason) {
        Applicability a = applies(mutant, spec);
        assertFalse(a.applicable(), mutant + " should not apply");
        assertEquals("not applicable: " + reason, a.toString());
    }

    private static final String TANH = "{units: 3, activation: tanh}";
    private static final String SIGMOID = "{units: 3, activation: sigmoid}";
    private static final String OUT = "{units: 1, activation: identity}";

    @Test
    void derivativeMutantsNeedTheirActivationWhereBackpropUsesIt() {
        yes("tanh-tan", TestSpecs.of(2, TANH, OUT));
        yes("tanh-tan", TestSpecs.of(2, "{units: 1, activation: tanh}"));   // output tanh, squared error
        no("tanh-tan", TestSpecs.of(2, SIGMOID, OUT), "no tanh layer");
        no("tanh-tan", TestSpecs.of(2, "{units: 3, activation: tanh, frozen: true}", OUT),
                "every layer at or below the tanh layer is frozen");
        yes("sigmoid-on-activation", TestSpecs.of(2, SIGMOID, OUT));
        yes("sigmoid-on-activation", TestSpecs.of(2, TANH, "{units: 1, activation: sigmoid}")); // squared error
        no("sigmoid-on-activation", TestSpecs.of(2, new String[] {TANH, "{units: 1, activation: sigmoid}"},
                        "{type: binary_cross_entropy}", "{examples: 5}", null),
                "the only sigmoid layer is the output, whose delta uses the combined form a - y");
        yes("leaky-slope", TestSpecs.of(2, "{units: 3, activation: {name: leaky_relu, slope: 0.2}}", OUT));
        no("leaky-slope", TestSpecs.of(2, TANH, OUT), "no leaky_relu layer");
        yes("relu-derivative-one-at-zero", TestSpecs.of(2, "{units: 3, activation: relu}", OUT));
        no("relu-derivative-one-at-zero", TestSpecs.of(2, TANH, OUT), "no relu layer");
    }

    @Test
    void missingDerivativeNeedsANonlinearHiddenLayer() {
        yes("hidden-delta-missing-derivative", TestSpecs.of(2, TANH, OUT));
        no("hidden-delta-missing-derivative", TestSpecs.of(2, "{units: 3, activation: identity}", OUT),
                "no hidden layer with a nonlinear activation");
        no("hidden-delta-missing-derivative", TestSpecs.of(2, "{units: 1, activation: sigmoid}"),
                "no hidden layer with a nonlinear activation");
    }

    @Test
    void reductionAndBatchRules() {
        Spec mean5 = TestSpecs.of(2, TANH, OUT);
        yes("mean-not-divided", mean5);
        yes("bias-first-example", mean5);
        Spec sum = TestSpecs.of(2, new String[] {TANH, OUT}, "{type: squared_error, reduction: sum}", "{examples: 5}", null);
        no("mean-not-divided", sum, "reduction is sum");
        yes("bias-first-example", sum);
        Spec one = TestSpecs.of(2, new String[] {TANH, OUT}, "{type: squared_error}", "{examples: 1}", null);
        no("mean-not-divided", one, "one example: the mean is the sum");
        no("bias-first-example", one, "one example: delta[0] is the whole batch");
        no("bias-first-example", TestSpecs.of(2, "{units: 3, activation: tanh, bias: false}",
                "{units: 1, activation: identity, bias: false}"), "no trainable layer has a bias");
    }

    @Test
    void l2Rules() {
        String[] net = {TANH, OUT};
        Spec l2 = TestSpecs.of(2, net, "{type: squared_error, l2: 0.5}", "{examples: 5}", null);
        yes("l2-half-lambda", l2);
        yes("l2-on-biases-in-gradient", l2);
        Spec none = TestSpecs.of(2, net);
        no("l2-half-lambda", none, "no L2 penalty");
        no("l2-on-biases-in-gradient", none, "no L2 penalty");
        no("l2-on-biases-in-gradient", TestSpecs.of(2, net, "{type: squared_error, l2: {lambda: 0.5, biases: true}}",
                "{examples: 5}", null), "the spec penalises the biases too: the term is correct");
        no("l2-on-biases-in-gradient", TestSpecs.of(2, net, "{type: squared_error, l2: 0.5}", "{examples: 5}",
                "{init: xavier, biases: zero}"), "biases are initialised to zero, so lambda/m*b is 0");
    }

    @Test
    void layerShapeRules() {
        yes("swap-w1-rows", TestSpecs.of(2, TANH, OUT));
        no("swap-w1-rows", TestSpecs.of(2, "{units: 1, activation: identity}"), "W1 has a single row");
        no("swap-w1-rows", TestSpecs.of(2, "{units: 3, activation: tanh, frozen: true}", OUT), "layer 1 is frozen");
        yes("last-layer-sign-flip", TestSpecs.of(2, OUT));
        no("last-layer-sign-flip", TestSpecs.of(2, TANH, "{units: 1, activation: identity, frozen: true}"),
                "the output layer is frozen");
        // w-not-transposed: some W_l, l >= 2, square and at least 2 x 2, with a trainable layer below.
        yes("w-not-transposed", TestSpecs.of(2, TANH, TANH, OUT));                   // W2 is 3 x 3
        yes("w-not-transposed", TestSpecs.of(2, "{units: 2, activation: tanh}", "{units: 2, activation: identity}"));
        no("w-not-transposed", TestSpecs.of(2, "{units: 2, activation: tanh}", OUT),  // W1 square, but nothing below it
                "no square weight matrix (at least 2 x 2) above a hidden layer");
        no("w-not-transposed", TestSpecs.of(1, "{units: 1, activation: tanh}", OUT),  // 1 x 1: W = W^T
                "no square weight matrix (at least 2 x 2) above a hidden layer");
        no("w-not-transposed", TestSpecs.of(2, "{units: 3, activation: tanh, frozen: true}", TANH, OUT),
                "the layers below the square weight matrices are frozen");
        no("w-not-transposed", TestSpecs.of(2, OUT), "no hidden layer");
        yes("stale-weights", TestSpecs.of(2, TANH, OUT));
        no("stale-weights", TestSpecs.of(2, OUT), "no hidden layer");
        no("stale-weights", TestSpecs.of(2, "{units: 3, activation: tanh, frozen: true}", OUT),
                "the layers below the trainable ones are frozen");
        yes("dropout-backward", TestSpecs.of(2, TANH, OUT));
        no("dropout-backward", TestSpecs.of(2, OUT), "no hidden layer");
        no("dropout-backward", TestSpecs.of(2, "{units: 3, activation: tanh, frozen: true}", OUT), "layer 1 is frozen");
    }

    @Test
    void softmaxRule() {
        yes("softmax-z-minus-y", TestSpecs.bundled("softmax-cross-entropy"));
        no("softmax-z-minus-y", TestSpecs.of(2, TANH, OUT), "loss is squared_error, not softmax_cross_entropy");
    }

    @Test
    void float32AppliesEverywhereButNothingAppliesWhenAllIsFrozen() {
        yes("float32", TestSpecs.of(2, OUT));
        // The loader rejects such a spec; one built in code can still reach the rules.
        Spec open = TestSpecs.of(2, TANH, OUT);
        Spec frozen = open.withNetwork(new NetworkSpec(2, open.network().layers().stream()
                .map(l -> new LayerSpec(l.units(), l.activation(), l.bias(), true)).toList()));
        for (Mutant m : Mutants.all()) {
            no(m.name(), frozen, "every layer is frozen");
        }
    }

    @Test
    void leakySlopeIsAlwaysWrong() {
        Spec defaultSlope = TestSpecs.of(2, "{units: 3, activation: leaky_relu}", OUT);
        Spec other = TestSpecs.of(2, "{units: 3, activation: {name: leaky_relu, slope: 0.2}}", OUT);
        var mlpDefault = NetworkFactory.build(defaultSlope);
        var mlpOther = NetworkFactory.build(other);
        Backprop a = Mutants.byName("leaky-slope").backprop(defaultSlope, mlpDefault);
        Backprop b = Mutants.byName("leaky-slope").backprop(other, mlpOther);
        assertEquals(0.1, a.localDerivative(0, -1, -0.01));
        assertEquals(0.01, b.localDerivative(0, -1, -0.2));
        assertEquals(1, b.localDerivative(0, 2, 2));
    }
}
