package dev.gradproof.external;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gradproof.api.Batch;
import dev.gradproof.api.GraphDescription;
import dev.gradproof.api.Parameters;
import dev.gradproof.api.Perturbation;
import dev.gradproof.compare.GraphConversions;
import dev.gradproof.network.graph.GraphData;
import dev.gradproof.network.graph.GraphForward;
import dev.gradproof.network.graph.GraphLayout;
import dev.gradproof.oracle.graph.GraphExactGradient;
import dev.gradproof.oracle.graph.TapeOracle;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java parent against the protocol 2 fixtures (docs/PROTOCOL.md, "How they are used"): its hello is
 * the fixture's, its evaluate and losses requests are the fixture's, it reads PyTorch's answers without
 * complaint, and the reference engine agrees with them.
 */
class ProtocolV2FixturesTest {

    static Stream<String> fixtures() throws IOException {
        return V2Fixtures.layerFixtures();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void helloEvaluateAndLossesAreTheFixtures(String name) throws IOException {
        JsonNode fixture = V2Fixtures.read(name);
        JsonNode exchanges = fixture.get("exchanges");
        JsonNode hello = exchanges.get(0).get("request");
        V2Fixtures.Built b = V2Fixtures.build(hello.get("network"), !name.equals("dense-chain"));
        GraphDescription d = b.wire();
        V2Fixtures.assertSameJson(hello, V2Fixtures.parsed(GraphWire.hello(d)), name + " hello");

        JsonNode evaluate = exchanges.get(1).get("request");
        Parameters named = GraphWire.tensors(evaluate.get("params"), "params", d);
        Parameters params = b.graph() == null ? Negotiation.version1(named, graphOf(b)) : named;
        Batch batch = V2Fixtures.batch(b, evaluate, fixture.path("dropout_seed").asLong(0));
        boolean input = evaluate.get("want").toString().contains("input_gradient");
        V2Fixtures.assertSameJson(evaluate, V2Fixtures.parsed(GraphWire.evaluate(d, params, batch, true, input)), name + " evaluate");

        JsonNode losses = exchanges.get(2).get("request");
        List<Perturbation> ps = V2Fixtures.perturbations(losses, d);
        if (b.graph() == null) {
            ps = ps.stream().map(p -> Negotiation.version1(p, graphOf(b))).toList();
        }
        V2Fixtures.assertSameJson(losses, V2Fixtures.parsed(GraphWire.losses(d, params, batch, ps)), name + " losses");
    }

    /** The dense chain's description as a graph, for renaming its fixture's named tensors to W1, b1. */
    private static dev.gradproof.api.NetworkDescription graphOf(V2Fixtures.Built b) {
        return new dev.gradproof.api.NetworkDescription(0, List.of(), "", "", 0, false, b.wire());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void pyTorchsAnswersAreReadAndTheReferenceAgreesWithThem(String name) throws IOException {
        JsonNode fixture = V2Fixtures.read(name);
        JsonNode exchanges = fixture.get("exchanges");
        V2Fixtures.Built b = V2Fixtures.build(exchanges.get(0).get("request").get("network"), true);
        GraphDescription d = b.wire();
        JsonNode request = exchanges.get(1).get("request");
        JsonNode answer = exchanges.get(1).get("answer");
        double loss = Protocol.number(answer.get("loss"), "loss");
        Parameters torch = GraphWire.tensors(answer.get("gradient"), "gradient", d);
        Batch batch = V2Fixtures.batch(b, request, fixture.path("dropout_seed").asLong(0));
        double[][] dx = answer.has("input_gradient")
                ? GraphWire.inputGradient(answer.get("input_gradient"), d, batch.size()) : null;
        JsonNode lossesAnswer = exchanges.get(2).get("answer").get("losses");
        assertEquals(exchanges.get(2).get("request").get("perturbations").size(), lossesAnswer.size(), name);
        Protocol.vector(lossesAnswer, "losses", lossesAnswer.size(), "one per perturbation");

        GraphLayout layout = b.graph().layout();
        double[] theta = GraphConversions.flatten(layout, GraphWire.tensors(request.get("params"), "params", d), "params");
        double[] x = Stream.of(batch.x()).flatMapToDouble(Arrays::stream).toArray();
        double[] y = Stream.of(batch.y()).flatMapToDouble(Arrays::stream).toArray();
        GraphData data = new GraphData(batch.size(), x, y, fixture.path("dropout_seed").asLong(0));
        GraphForward f = b.graph().forward(theta, data);
        assertEquals(loss, f.loss, 1e-12 * Math.abs(loss), name + " loss");
        double[] ours = b.graph().gradient(theta, data, f);
        double[] theirs = GraphConversions.flatten(layout, torch, "PyTorch");
        assertClose(name + " gradient", ours, theirs);
        if (dx != null) {
            GraphExactGradient exact = TapeOracle.compute(b.graph(), theta, data);
            assertNotNull(exact.inputGradient(), name);
            assertClose(name + " input gradient", exact.inputGradient(),
                    Stream.of(dx).flatMapToDouble(Arrays::stream).toArray());
        }
    }

    /**
     * Normwise over the whole vector: PyTorch sums in another order, so entries that are mathematically
     * 0 (a bias before a batch norm) are rounding noise on both sides; 2^-40 of the largest entry is far
     * below any wrong derivative and far above float64 rounding through these small networks.
     */
    private static void assertClose(String what, double[] ours, double[] theirs) {
        assertEquals(ours.length, theirs.length, what);
        double scale = 0;
        for (int i = 0; i < ours.length; i++) {
            scale = Math.max(scale, Math.max(Math.abs(ours[i]), Math.abs(theirs[i])));
        }
        for (int i = 0; i < ours.length; i++) {
            assertTrue(Double.isFinite(ours[i]) && Double.isFinite(theirs[i]), what + "[" + i + "] is not finite");
            assertTrue(Math.abs(ours[i] - theirs[i]) <= 0x1p-40 * scale,
                    what + "[" + i + "]: ours " + ours[i] + ", PyTorch " + theirs[i] + " (largest entry " + scale + ")");
        }
    }
}
