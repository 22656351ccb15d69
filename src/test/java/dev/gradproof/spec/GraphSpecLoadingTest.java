package dev.gradproof.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gradproof.spec.layers.Shape;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A layer graph in YAML: read into the plan of names and shapes, or refused at the option's line. */
class GraphSpecLoadingTest {

    private static String error(String fixture) {
        Path file = Path.of("src/test/resources/graph-specs", fixture);
        return assertThrows(SpecException.class, () -> new SpecLoader().load(file)).getMessage()
                .substring(file.toString().length() + 1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "kernel.yaml|4:60: network.layers[0].kernel: layer 1 (conv1): kernel 7 (height) is larger than the padded input 5 (input 5 + 2×padding 0)",
        "concat.yaml|6:42: network.layers[2].from: layer 3 (joined): concat joins along channels, so every other size must agree: a gives channels [2, 4, 4] but b gives channels [2, 2, 2]",
        "from.yaml|5:57: network.layers[1].from: layer 2 (out): from: hidden is not an earlier layer (earlier: input, h)",
        "nosoftmax.yaml|5:14: loss.type: softmax_cross_entropy needs a softmax on the last layer (activation: softmax on out)",
        "seq.yaml|4:7: network.layers[0]: layer 1 (lstm1): lstm needs a sequence [T, F]; its input is channels [3, 4, 5]",
        "unused.yaml|4:7: network.layers[0]: layer 1 (a): a is not read by any later layer and is not the last layer: its output would go nowhere"})
    void aWrongShapeIsRefusedAtTheLineOfItsOption(String fixture, String message) {
        assertEquals(message, error(fixture));
    }

    @Test
    void lenetIsPlannedWithDefaultNamesAndShapes() {
        Spec spec = BundledSpecs.load("specs/architectures/lenet5.yaml");
        GraphSpec g = spec.network().graph();
        assertEquals(List.of("conv1", "max_pool2d1", "conv2", "max_pool2d2", "flatten1", "fc1", "fc2", "fc3"), g.plan().names());
        assertEquals("channels [16, 4, 4]", g.plan().shapes().get(3).describe());
        assertEquals(44_426, spec.network().parameterCount());
        assertEquals(Shape.Kind.CHANNELS, g.input().kind());
    }

    @Test
    void aOneAxisInputReadByAnEmbeddingIsTokenIds() {
        GraphSpec g = BundledSpecs.load("specs/architectures/char-lstm.yaml").network().graph();
        assertEquals(Shape.tokens(20), g.input());
        assertEquals("sequence [20, 30] (steps, features)", g.output().describe());
    }

    @Test
    void aDenseChainWithALossOnlyTheGraphEngineHasIsAGraph() throws SpecException {
        Spec spec = new SpecLoader().parse("network: {inputs: 2, layers: [{units: 3, activation: tanh}, {units: 1,"
                + " activation: identity}]}\nloss: {type: huber, delta: 0.5}\ndata: {examples: 3}\n", Path.of("x.yaml"));
        assertEquals(true, spec.network().isGraph());
        assertEquals(List.of("dense1", "dense2"), spec.network().graph().plan().names());
        assertEquals(0.5, spec.loss().delta());
    }
}
