package dev.gradproof.network.graph;

import dev.gradproof.network.Activations;
import dev.gradproof.spec.layers.DenseOptions;
import dev.gradproof.spec.layers.LayerOptionException;
import dev.gradproof.spec.layers.LossOptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Names, layout and the builder's messages: each names the option key and the layer. */
class GraphBuilderTest {
    static final LossOptions MSE = LossOptions.of(LossOptions.Kind.MSE);

    @Test
    void unnamedLayersAreNamedByTypeAndCountAndParametersByTensorAndIndex() {
        GraphNetwork g = GraphNetwork.builder().input(4)
                .dense(null, 3).activation(Activations.tanh())
                .dense("head", 2)
                .dense(null, 2)
                .loss(MSE).build();
        assertEquals(List.of("dense1", "head", "dense3"), g.nodes().stream().map(GraphNode::name).toList());
        GraphLayout l = g.layout();
        assertEquals(3 * 4 + 3 + 2 * 3 + 2 + 2 * 2 + 2, l.total());
        assertEquals("dense1.weight[0,0]", l.name(0));
        assertEquals("dense1.weight[2,3]", l.name(11));
        assertEquals("dense1.bias[0]", l.name(12));
        assertEquals("head.weight[1,2]", l.name(15 + 5));
        assertEquals("head.bias", l.group(15 + 6));
        assertEquals(2, l.layer(15 + 6));
        assertTrue(l.isBias(15 + 6));
        assertFalse(l.isBias(15 + 5));
        assertEquals(List.of(1, 2), List.of(l.index(15 + 5)[0], l.index(15 + 5)[1]));
        assertEquals(l.total(), l.trainable().size());
    }

    @Test
    void frozenLayersAreNotTrainable() {
        GraphNetwork g = GraphNetwork.builder().input(2).dense(null, 2).frozen().dense(null, 1).loss(MSE).build();
        assertEquals(3, g.layout().trainable().size());
        assertTrue(g.layout().frozen(0));
    }

    private static LayerOptionException fails(Runnable build) {
        return assertThrows(LayerOptionException.class, build::run);
    }

    @Test
    void badReferencesAndNamesAreNamedWithTheirLayer() {
        LayerOptionException e = fails(() -> GraphNetwork.builder().input(2).dense("a", 2)
                .add(null, "a", "nope").loss(MSE).build());
        assertEquals("from", e.key());
        assertEquals(2, e.layer());
        assertEquals("from: nope is not an earlier layer (earlier: input, a)", e.getMessage());

        e = fails(() -> GraphNetwork.builder().input(2).dense("a", 2).dense("a", 1).loss(MSE).build());
        assertEquals("name", e.key());
        assertEquals("two layers are called a", e.getMessage());

        e = fails(() -> GraphNetwork.builder().input(2).dense("dense2", 2).dense(null, 1).loss(MSE).build());
        assertEquals("an unnamed dense layer would be called dense2, which another layer is named: give it a name",
                e.getMessage());

        e = fails(() -> GraphNetwork.builder().input(2).dense("x", 2).dense("y", 2).from("input").loss(MSE).build());
        assertEquals("x is not read by any later layer and is not the last layer: its output would go nowhere",
                e.getMessage());
        assertEquals(1, e.layer());
    }

    @Test
    void joinsNeedMatchingShapes() {
        LayerOptionException e = fails(() -> GraphNetwork.builder().input(3).dense("a", 2).dense("b", 3).from("input")
                .add(null, "a", "b").loss(MSE).build());
        assertEquals("add needs inputs of one shape: a gives features [2] but b gives features [3]", e.getMessage());
        assertEquals("layer 3 (add1): from: add needs inputs of one shape: a gives features [2] but b gives features [3]",
                e.describe());

        e = fails(() -> GraphNetwork.builder().input(3, 2).dense("a", 2).flatten().concat(null, "a", "flatten1")
                .loss(MSE).build());
        assertEquals("concat joins along features, so every other size must agree: a gives sequence [3, 2] (steps,"
                + " features) but flatten1 gives features [6]", e.getMessage());
    }

    @Test
    void lossesCheckTheLastLayer() {
        LayerOptionException e = fails(() -> GraphNetwork.builder().input(3).dense(null, 2)
                .loss(LossOptions.of(LossOptions.Kind.SOFTMAX_CROSS_ENTROPY)).build());
        assertEquals("loss.type", e.key());
        assertEquals("softmax_cross_entropy needs a softmax on the last layer (activation: softmax on dense1)",
                e.getMessage());
        e = assertThrows(LayerOptionException.class, () -> new LossOptions(LossOptions.Kind.HUBER, -1,
                LossOptions.Steps.MEAN));
        assertEquals("delta", e.key());
    }

    @Test
    void optionsAreValidatedWithTheirKey() {
        LayerOptionException e = assertThrows(LayerOptionException.class, () -> new DenseOptions(0, true));
        assertEquals("units", e.key());
        assertEquals("units must be a positive integer, got 0", e.getMessage());
        e = fails(() -> GraphNetwork.builder().input(1, 4, 4).dense(null, 2).loss(MSE).build());
        assertEquals("input", e.key());
        assertEquals("dense needs features [F] or a sequence [T, F]; its input is channels [1, 4, 4]: flatten it first",
                e.getMessage());
    }

    @Test
    void dataProblemsAreExplained() {
        GraphNetwork g = GraphNetwork.builder().input(2).dense(null, 3).softmax()
                .loss(LossOptions.of(LossOptions.Kind.SOFTMAX_CROSS_ENTROPY)).build();
        double[] theta = new double[g.layout().total()];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.forward(theta, new GraphData(2, new double[3], new double[6], 1)));
        assertEquals("the inputs have 3 values; 2 examples of features [2] need 4", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> g.forward(theta, new GraphData(2, new double[4], new double[] {1, 0, 0, 0.5, 0.5, 0.5}, 1)));
        assertEquals("softmax_cross_entropy: example 1: targets must sum to 1 over the classes, got 1.5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> g.forward(theta, new GraphData(2, new double[] {0, Double.NaN, 0, 0}, new double[6], 1)));
        assertEquals("input example 0, [1] is NaN", e.getMessage());
        double[] bad = theta.clone();
        bad[3] = Double.POSITIVE_INFINITY;
        e = assertThrows(IllegalArgumentException.class,
                () -> g.forward(bad, new GraphData(2, new double[4], new double[] {1, 0, 0, 0, 1, 0}, 1)));
        assertEquals("parameter dense1.weight[1,1] is Infinity", e.getMessage());
    }

    @Test
    void tokenIdsAndBatchStatisticsAreChecked() {
        GraphNetwork g = GraphNetwork.builder().tokens(3).embedding("emb", 4, 2).loss(MSE).build();
        double[] theta = new double[g.layout().total()];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.forward(theta, new GraphData(1, new double[] {0, 4, 1}, new double[6], 1)));
        assertEquals("token id 4 at example 0, [1] is outside emb's vocabulary of 4 (ids 0..3)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> g.forward(theta, new GraphData(1, new double[] {0, 1.5, 1}, new double[6], 1)));
        assertEquals("token id 1.5 at example 0, [1] is not an integer", e.getMessage());
        GraphNetwork bn = GraphNetwork.builder().input(2).batchNorm("bn").loss(MSE).build();
        e = assertThrows(IllegalArgumentException.class, () -> bn.forward(new double[4],
                new GraphData(1, new double[2], new double[2], 1)));
        assertEquals("bn (batch_norm) needs more than one value per channel to take batch statistics; it gets 1"
                + " (1 example of features [2])", e.getMessage());
    }
}
