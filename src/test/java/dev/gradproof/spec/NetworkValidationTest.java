package dev.gradproof.spec;

import static dev.gradproof.spec.SpecTexts.edit;
import static dev.gradproof.spec.SpecTexts.error;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NetworkValidationTest {

    private static final String NAMES = "identity, sigmoid, tanh, relu, leaky_relu, elu, softplus, softmax, custom";

    @Test
    void unitsMustBeAPositiveInteger() {
        assertEquals("specs/x.yaml:4:14: network.layers[0].units: expected a positive integer, got -3",
                error(edit("units: 3", "units: -3")));
        assertEquals("specs/x.yaml:4:14: network.layers[0].units: expected a positive integer, got 3.5",
                error(edit("units: 3", "units: 3.5")));
        assertEquals("specs/x.yaml:4:14: network.layers[0].units: expected a positive integer, got 'abc'",
                error(edit("units: 3", "units: abc")));
        assertEquals("specs/x.yaml:4:14: network.layers[0].units: expected a positive integer, got '3'",
                error(edit("units: 3", "units: \"3\"")));
        assertEquals("specs/x.yaml:4:14: network.layers[0].units: expected a positive integer, got .inf",
                error(edit("units: 3", "units: .inf")));
        assertEquals("specs/x.yaml:4:14: network.layers[0].units: expected a positive integer, got a list",
                error(edit("units: 3", "units: [3]")));
        assertEquals("specs/x.yaml:4:13: network.layers[0].units: expected a positive integer, got nothing",
                error(edit("units: 3", "units:")));
    }

    @Test
    void inputsMustBeAPositiveInteger() {
        assertEquals("specs/x.yaml:2:11: network.inputs: expected a positive integer, got 0", error(edit("inputs: 2", "inputs: 0")));
    }

    @Test
    void unknownKeysAreRefusedWithASuggestion() {
        assertEquals("specs/x.yaml:4:7: network.layers[0]: unknown key 'unit' (did you mean 'units'?); "
                + "allowed: units, activation, bias, frozen", error(edit("units: 3", "unit: 3")));
        assertEquals("specs/x.yaml:2:3: network: unknown key 'width'; allowed: inputs, layers\n"
                + "specs/x.yaml:2:3: network: missing required key 'inputs'", error(edit("inputs: 2", "width: 2")));
        assertEquals("specs/x.yaml:5:32: network.layers[0].activation: unknown key 'slope'; allowed: name, derivative",
                error(edit("activation: tanh", "activation: {name: tanh, slope: 0.2}")));
    }

    @Test
    void requiredKeysMustBePresent() {
        assertEquals("specs/x.yaml:4:7: network.layers[0]: missing required key 'units'",
                error(edit("- units: 3\n      activation: tanh", "- activation: tanh")));
        assertEquals("specs/x.yaml:1:10: network: missing required key 'layers'",
                error("network: {inputs: 2}\n" + SpecTexts.BASE.substring(SpecTexts.BASE.indexOf("loss:"))));
        assertEquals("specs/x.yaml:5:19: network.layers[0].activation: missing required key 'name'",
                error(edit("activation: tanh", "activation: {slope: 0.2}")));
    }

    @Test
    void layersMustBeANonEmptyListOfMaps() {
        String layers = "  layers:\n    - units: 3\n      activation: tanh\n    - units: 1\n      activation: sigmoid\n";
        assertEquals("specs/x.yaml:3:11: network.layers: expected a non-empty list of layers, got an empty list",
                error(edit(layers, "  layers: []\n")));
        assertEquals("specs/x.yaml:3:11: network.layers: expected a non-empty list of layers, got 3",
                error(edit(layers, "  layers: 3\n")));
        assertEquals("specs/x.yaml:4:7: network.layers[0]: expected a map, got 'tanh'",
                error(edit(layers, "  layers:\n    - tanh\n")));
    }

    @Test
    void activationNamesAreChecked() {
        assertEquals("specs/x.yaml:5:19: network.layers[0].activation: expected one of " + NAMES
                + ", got 'tanhh' (did you mean 'tanh'?)", error(edit("activation: tanh", "activation: tanhh")));
        assertEquals("specs/x.yaml:5:45: network.layers[0].activation.slope: expected a number, got 'abc'",
                error(edit("activation: tanh", "activation: {name: leaky_relu, slope: abc}")));
        assertEquals("specs/x.yaml:5:38: network.layers[0].activation.alpha: expected a finite number, got .nan",
                error(edit("activation: tanh", "activation: {name: elu, alpha: .nan}")));
    }

    @Test
    void customNeedsValueAndDerivative() {
        assertEquals("specs/x.yaml:5:19: network.layers[0].activation: custom needs 'value' and 'derivative' "
                + "expressions: write {name: custom, value: \"...\", derivative: \"...\"}",
                error(edit("activation: tanh", "activation: custom")));
        assertEquals("specs/x.yaml:5:19: network.layers[0].activation: missing required key 'derivative'",
                error(edit("activation: tanh", "activation: {name: custom, value: \"x\"}")));
        assertEquals("specs/x.yaml:5:19: network.layers[0].activation: missing required key 'value'",
                error(edit("activation: tanh", "activation: {name: custom, derivative: \"1\"}")));
    }

    @Test
    void softmaxTakesNoDerivativeAndOnlyTheLastLayer() {
        assertEquals("specs/x.yaml:7:35: network.layers[1].activation.derivative: softmax takes no declared "
                + "derivative: its Jacobian couples all outputs, so it is not an elementwise f'(x)",
                error(edit("activation: sigmoid", "activation: {name: softmax, derivative: \"1\"}")));
        assertEquals("specs/x.yaml:5:19: network.layers[0].activation: softmax is allowed only on the last layer: "
                + "backpropagation through hidden layers takes elementwise activations, and softmax couples all "
                + "units of its layer", error(edit("activation: tanh", "activation: softmax")));
    }

    @Test
    void biasAndFrozenAreBooleans() {
        assertEquals("specs/x.yaml:6:13: network.layers[0].bias: expected true or false, got 'yes'",
                error(edit("activation: tanh", "activation: tanh\n      bias: yes")));
        assertEquals("specs/x.yaml:6:15: network.layers[0].frozen: expected true or false, got 1",
                error(edit("activation: tanh", "activation: tanh\n      frozen: 1")));
    }

    @Test
    void someLayerMustBeChecked() {
        String frozen = edit(edit("activation: tanh", "activation: tanh\n      frozen: true"),
                "activation: sigmoid", "activation: sigmoid\n      frozen: true");
        assertEquals("specs/x.yaml:4:5: network.layers: every layer is frozen, so no parameter is left to check",
                error(frozen));
    }

    @Test
    void expressionErrorsPointIntoTheExpression() {
        String block = "activation:\n        name: tanh\n        derivative: ";
        // plain scalar: the expression starts at column 21, 'tanhh' is its 5th character
        assertEquals("specs/x.yaml:7:25: network.layers[0].activation.derivative: column 5: unknown function 'tanhh'",
                error(edit("activation: tanh", block + "1 - tanhh(x)")));
        // quoted: one more for the quote
        assertEquals("specs/x.yaml:7:26: network.layers[0].activation.derivative: column 5: unknown function 'tanhh'",
                error(edit("activation: tanh", block + "\"1 - tanhh(x)\"")));
        // an escape makes the text differ from the file: point at the scalar, keep the column in the message
        assertEquals("specs/x.yaml:7:21: network.layers[0].activation.derivative: column 5: unknown function 'tanhh'",
                error(edit("activation: tanh", block + "\"1 - \\x74anhh(x)\"")));
        // a folded scalar spans lines: same
        assertEquals("specs/x.yaml:7:21: network.layers[0].activation.derivative: column 5: unknown function 'tanhh'",
                error(edit("activation: tanh", block + ">\n          1 - tanhh(x)")));
        assertEquals("specs/x.yaml:5:48: network.layers[0].activation.value: column 7: unexpected end of expression",
                error(edit("activation: tanh", "activation: {name: custom, value: '1 + x*', derivative: '1'}")));
        assertEquals("specs/x.yaml:7:21: network.layers[0].activation.derivative: expected a string, got a map",
                error(edit("activation: tanh", block + "{x: 1}")));
    }
}
