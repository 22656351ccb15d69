package dev.gradproof.spec;

import static dev.gradproof.spec.SpecTexts.BASE;
import static dev.gradproof.spec.SpecTexts.edit;
import static dev.gradproof.spec.SpecTexts.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Errors that say what to change: the YAML slips the parser words in its own terms, every problem of a
 * file at once, a scalar written where a map belongs, and near misses (issue #13).
 */
class SpecErrorHintsTest {

    @Test
    void aKeyIndentedLessThanItsSiblingIsLinedUpWithIt() {
        assertEquals("specs/x.yaml:7:6: invalid YAML: line 7: check the indentation of this line: it must line up with "
                + "`units:` on line 6", error(edit("  activation: sigmoid", " activation: sigmoid")));
    }

    @Test
    void aKeyIndentedMoreThanItsSiblingIsLinedUpWithIt() {
        assertEquals("specs/x.yaml:3:4: invalid YAML: line 3: check the indentation of this line: it must line up with "
                + "`inputs:` on line 2", error(edit("  layers:", "   layers:")));
        assertEquals("specs/x.yaml:6:9: invalid YAML: line 6: check the indentation of this line: it must line up with "
                + "`activation:` on line 5", error(edit("activation: tanh\n", "activation: tanh\n        bias: false\n")));
    }

    @Test
    void aListItemIsLinedUpWithTheItemBeforeIt() {
        assertEquals("specs/x.yaml:6:4: invalid YAML: line 6: check the indentation of this line: it must line up with "
                + "`- units:` on line 4", error(edit("    - units: 1", "   - units: 1")));
    }

    @Test
    void aTabIsNamedWithItsLine() {
        assertEquals("specs/x.yaml:5:1: invalid YAML: line 5: this line is indented with a tab; YAML indents with spaces "
                + "only: replace the tab with spaces", error(edit("      activation: tanh", "\tactivation: tanh")));
    }

    @Test
    void aMissingColonIsNamedOnItsOwnLineNotTheNextOne() {
        assertEquals("specs/x.yaml:2:3: invalid YAML: line 2: `inputs 2` has no colon after its key: write `inputs: 2`",
                error(edit("inputs: 2", "inputs 2")));
        assertEquals("specs/x.yaml:7:7: invalid YAML: line 7: `activation sigmoid` has no colon after its key: write "
                + "`activation: sigmoid`", error(edit("activation: sigmoid", "activation sigmoid")));
    }

    @Test
    void aLoneKeyWithoutItsColonReadsAsAStringAndIsToldSo() {
        assertEquals("specs/x.yaml:9:3: loss: expected a map, got 'type squared_error' (is the colon missing? write "
                + "`type: squared_error`)", error(edit("type: squared_error", "type squared_error")));
        assertEquals("specs/x.yaml:11:3: data: expected a map, got 'generator xor' (is the colon missing? write "
                + "`generator: xor`)", error(edit("generator: xor", "generator xor")));
        assertEquals("specs/x.yaml:13:3: check: expected a map, got 'trials 3' (is the colon missing? write `trials: 3`)",
                error(BASE + "check:\n  trials 3\n"));
        // Two words that do not start with a key of the section are not taken for a key and a value.
        assertEquals("specs/x.yaml:13:3: check: expected a map, got 'three trials'", error(BASE + "check:\n  three trials\n"));
    }

    @Test
    void aValueWithAColonMustBeQuoted() {
        assertEquals("specs/x.yaml:12:1: invalid YAML: line 12: a value that contains ': ' must be quoted: write it in "
                + "double quotes", error(BASE + "description: ratio: 2\n"));
    }

    @Test
    void aScalarWhereTheLossMapBelongsSuggestsTheMap() {
        assertEquals("specs/x.yaml:8:7: loss: expected a map, got 'squared_error' (did you mean "
                + "`loss: {type: squared_error}`?)", error(edit("loss:\n  type: squared_error", "loss: squared_error")));
        assertEquals("specs/x.yaml:8:7: loss: expected a map, got 'cross_entropy' (did you mean "
                + "`loss: {type: binary_cross_entropy}` or `loss: {type: softmax_cross_entropy}`?)",
                error(edit("loss:\n  type: squared_error", "loss: cross_entropy")));
        assertEquals("specs/x.yaml:8:7: loss: expected a map, got 'nonsense'",
                error(edit("loss:\n  type: squared_error", "loss: nonsense")));
    }

    @Test
    void aScalarWhereTheDataOrWeightsMapBelongsSuggestsTheMap() {
        assertEquals("specs/x.yaml:10:7: data: expected a map, got 'xor' (did you mean `data: {generator: xor}`?)",
                error(edit("data:\n  generator: xor", "data: xor")));
        assertEquals("specs/x.yaml:10:7: data: expected a map, got 'data/tiny.csv' (did you mean "
                + "`data: {csv: data/tiny.csv}`?)", error(edit("data:\n  generator: xor", "data: data/tiny.csv")));
        assertEquals("specs/x.yaml:12:10: weights: expected a map, got 'normal' (did you mean `weights: {init: normal}`?)",
                error(BASE + "weights: normal\n"));
    }

    @Test
    void nearMissesGetADidYouMean() {
        assertEquals("specs/x.yaml:5:19: network.layers[0].activation: expected one of identity, sigmoid, tanh, relu, "
                + "leaky_relu, elu, softplus, softmax, custom, got 'tanhh' (did you mean 'tanh'?)",
                error(edit("activation: tanh", "activation: tanhh")));
        assertEquals("specs/x.yaml:5:7: network.layers[0]: unknown key 'activaton' (did you mean 'activation'?); "
                + "allowed: units, activation, bias, frozen", error(edit("activation: tanh", "activaton: tanh")));
        assertEquals("specs/x.yaml:5:19: network.layers[0].activation: expected one of identity, sigmoid, tanh, relu, "
                + "leaky_relu, elu, softplus, softmax, custom, got 'logistic' (did you mean 'sigmoid'?)",
                error(edit("activation: tanh", "activation: logistic")));
        assertEquals("specs/x.yaml:9:9: loss.type: expected one of squared_error, mse, binary_cross_entropy, "
                + "softmax_cross_entropy, l1, huber, hinge, kl_divergence, got 'entropy' (did you mean "
                + "'binary_cross_entropy' or 'softmax_cross_entropy'?)", error(edit("squared_error", "entropy")));
    }

    @Test
    void otherLibrariesNamesAreAnsweredWithOurs() {
        String types = "specs/x.yaml:9:9: loss.type: expected one of squared_error, mse, binary_cross_entropy, "
                + "softmax_cross_entropy, l1, huber, hinge, kl_divergence, got ";
        assertEquals(types + "'CrossEntropyLoss' (did you mean 'softmax_cross_entropy'?)",
                error(edit("squared_error", "CrossEntropyLoss")));
        assertEquals(types + "'binary_crossentropy' (did you mean 'binary_cross_entropy'?)",
                error(edit("squared_error", "binary_crossentropy")));
        assertEquals(types + "'mean_squared_error' (did you mean 'mse'?)", error(edit("squared_error", "mean_squared_error")));
        assertEquals(types + "'smooth_l1' (did you mean 'huber'?)", error(edit("squared_error", "smooth_l1")));
    }

    @Test
    void everyProblemOfAFileIsReportedInFileOrder() {
        String yaml = """
                netwrk:
                  inputs: 2
                network:
                  inputs: 0
                  layers:
                    - units: 3
                      activation: tanhh
                    - units: -1
                      activation: sigmoid
                      bias: maybe
                loss:
                  type: squared_error
                  reducton: sum
                data:
                  generator: xor
                weights: {init: he, std: 2}
                check: {trials: 0}
                seed: x
                expect: passes
                """;
        SpecException e = assertThrows(SpecException.class, () -> SpecTexts.parse(yaml));
        assertEquals("""
                specs/x.yaml:1:1: unknown key 'netwrk' (did you mean 'network'?); allowed: name, description, network, \
                loss, data, weights, check, seed, expect, implementation
                specs/x.yaml:4:11: network.inputs: expected a positive integer, got 0
                specs/x.yaml:7:19: network.layers[0].activation: expected one of identity, sigmoid, tanh, relu, \
                leaky_relu, elu, softplus, softmax, custom, got 'tanhh' (did you mean 'tanh'?)
                specs/x.yaml:8:14: network.layers[1].units: expected a positive integer, got -1
                specs/x.yaml:10:13: network.layers[1].bias: expected true or false, got 'maybe'
                specs/x.yaml:13:3: loss: unknown key 'reducton' (did you mean 'reduction'?); allowed: type, reduction, l2, \
                delta, steps
                specs/x.yaml:16:21: weights.std: std applies only to init: normal (init is he)
                specs/x.yaml:17:17: check.trials: expected a positive integer, got 0
                specs/x.yaml:18:7: seed: expected an integer, got 'x'
                specs/x.yaml:19:9: expect: expected one of pass, mismatch, forward-differs, error, got 'passes' \
                (did you mean 'pass'?)""", e.getMessage());
        assertEquals(10, e.all().size());
        assertEquals(1, e.line());
        assertEquals("", e.field());
    }

    @Test
    void everyLayerOfAGraphIsReadOnItsOwn() {
        String yaml = """
                network:
                  input: [1, 8, 8]
                  layers:
                    - {type: conv2d, name: conv1, out_channel: 2, kernel: 3, activation: tanh}
                    - {type: max_pool, kernel: 2}
                    - {type: flatten}
                    - {name: fc, units: 3, activation: softmaxx}
                loss: {type: softmax_cross_entropy}
                data: {examples: 4, targets: one_hot}
                """;
        assertEquals("specs/x.yaml:4:35: network.layers[0]: unknown key 'out_channel' (did you mean 'out_channels'?); "
                + "allowed: type, name, from, activation, frozen, out_channels, kernel, stride, padding, dilation, bias\n"
                + "specs/x.yaml:5:14: network.layers[1].type: expected one of dense, conv1d, conv2d, max_pool2d, avg_pool2d, "
                + "global_avg_pool, flatten, batch_norm, layer_norm, dropout, embedding, position_embedding, rnn, lstm, gru, "
                + "attention, add, concat, got 'max_pool' (did you mean 'max_pool2d'?)\n"
                + "specs/x.yaml:7:40: network.layers[3].activation: expected one of identity, sigmoid, tanh, relu, "
                + "leaky_relu, elu, softplus, softmax, custom, got 'softmaxx' (did you mean 'softmax'?)", error(yaml));
    }

    @Test
    void everyKeyOfTheLossCheckAndWeightsSectionsIsReadOnItsOwn() {
        assertEquals("specs/x.yaml:9:9: loss.type: expected one of squared_error, mse, binary_cross_entropy, "
                + "softmax_cross_entropy, l1, huber, hinge, kl_divergence, got 'squared' (did you mean 'squared_error'?)\n"
                + "specs/x.yaml:10:14: loss.reduction: expected one of mean, sum, got 'total'\n"
                + "specs/x.yaml:11:7: loss.l2: expected a number >= 0, got -1",
                error(edit("  type: squared_error\n", "  type: squared\n  reduction: total\n  l2: -1\n")));
        assertEquals("specs/x.yaml:13:11: check.trials: expected a positive integer, got 0\n"
                + "specs/x.yaml:14:14: check.tolerance: expected auto or a number > 0, got 'tight'\n"
                + "specs/x.yaml:15:9: check.mode: expected one of exhaustive, directional, got 'fast'\n"
                + "specs/x.yaml:16:3: check: unknown key 'oracle' (did you mean 'oracles'?); allowed: trials, "
                + "oracles, tolerance, parameters, shrink_units, mode, directions, layers",
                error(BASE + "check:\n  trials: 0\n  tolerance: tight\n  mode: fast\n  oracle: [exact]\n"));
        assertEquals("specs/x.yaml:12:17: weights.init: expected one of normal, uniform, xavier, he, got 'gaussian'\n"
                + "specs/x.yaml:12:35: weights.biases: expected one of same, zero, got 'none'",
                error(BASE + "weights: {init: gaussian, biases: none}\n"));
    }

    @Test
    void theDataOfABrokenNetworkIsSkippedButItsKeysAreChecked() {
        assertEquals("specs/x.yaml:2:11: network.inputs: expected a positive integer, got 0\n"
                + "specs/x.yaml:11:3: data: unknown key 'generatr' (did you mean 'generator'?); allowed: examples, "
                + "inputs, targets, generator, noise, csv, header, label, input_columns, standardize",
                error(edit(edit("inputs: 2", "inputs: 0"), "generator: xor", "generatr: xor")));
    }

    @Test
    void aMisspeltRequiredKeyIsReportedOnceAsMisspelt() {
        assertEquals("specs/x.yaml:4:7: network.layers[0]: unknown key 'unit' (did you mean 'units'?); "
                + "allowed: units, activation, bias, frozen", error(edit("units: 3", "unit: 3")));
    }

    @Test
    void aFileBrokenEverywhereIsAnsweredInAScreenful() {
        StringBuilder yaml = new StringBuilder("network:\n  inputs: 2\n  layers:\n");
        for (int i = 0; i < 25; i++) {
            yaml.append("    - {units: 0, activation: tanh}\n");
        }
        yaml.append("loss: {type: mse}\ndata: {generator: xor}\n");
        String message = error(yaml.toString());
        String[] lines = message.split("\n");
        assertEquals(21, lines.length);
        assertEquals("specs/x.yaml:4:15: network.layers[0].units: expected a positive integer, got 0", lines[0]);
        assertEquals("... and 5 more problems", lines[20]);
    }
}
