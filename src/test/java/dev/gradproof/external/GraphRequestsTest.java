package dev.gradproof.external;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gradproof.api.Batch;
import dev.gradproof.api.GraphDescription;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.Perturbation;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java child's reading of version 2 is the exact inverse of the parent's writing: every fixture's
 * hello, evaluate and losses requests (recorded from the parent and the PyTorch adapter), read back by
 * {@link GraphRequests} and written again by {@link GraphWire}, are the fixture's bytes' JSON.
 */
class GraphRequestsTest {

    static Stream<String> fixtures() throws IOException {
        return V2Fixtures.layerFixtures();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyRequestReadBackIsWrittenAgainAsItWas(String name) throws IOException {
        JsonNode exchanges = V2Fixtures.read(name).get("exchanges");
        JsonNode hello = exchanges.get(0).get("request");
        NetworkDescription network = GraphRequests.network(hello.get("network"));
        GraphDescription d = network.graph();
        V2Fixtures.assertSameJson(hello, V2Fixtures.parsed(GraphWire.hello(d)), name + " hello");
        int in = 1;
        for (int s : d.input()) {
            in *= s;
        }
        assertEquals(in, network.inputs(), name);

        int checked = 0;
        for (JsonNode e : exchanges) {
            JsonNode request = e.get("request");
            String op = request.get("op").asText();
            if (op.equals("hello")) {
                continue;
            }
            Batch batch = GraphRequests.batch(request, d);
            var params = GraphWire.tensors(request.get("params"), "params", d);
            if (op.equals("evaluate")) {
                JsonNode want = request.get("want");
                boolean gradient = want.toString().contains("\"gradient\"");
                boolean input = want.toString().contains("\"input_gradient\"");
                V2Fixtures.assertSameJson(request, V2Fixtures.parsed(GraphWire.evaluate(d, params, batch, gradient, input)), name + " evaluate");
            } else if (op.equals("losses")) {
                List<Perturbation> ps = GraphRequests.perturbations(request.get("perturbations"), d);
                V2Fixtures.assertSameJson(request, V2Fixtures.parsed(GraphWire.losses(d, params, batch, ps)), name + " losses");
            }
            checked++;
        }
        assertTrue(checked >= 1, name + ": no request besides hello");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void aPerturbationOutsideItsTensorIsNamed(String name) throws IOException {
        JsonNode exchanges = V2Fixtures.read(name).get("exchanges");
        GraphDescription d = GraphRequests.network(exchanges.get(0).get("request").get("network")).graph();
        GraphDescription.Layer first = d.layers().stream().filter(l -> !l.parameters().isEmpty()).findFirst().orElseThrow();
        String tensor = first.parameters().keySet().iterator().next();
        List<Integer> shape = first.parameters().get(tensor);
        ObjectNode p = V2Fixtures.JSON.createObjectNode().put("param", tensor).put("delta", 1e-3);
        p.putArray("index").addAll(shape.stream().map(V2Fixtures.JSON.getNodeFactory()::numberNode).toList());
        Protocol.Violation v = org.junit.jupiter.api.Assertions.assertThrows(Protocol.Violation.class,
                () -> GraphRequests.perturbations(V2Fixtures.JSON.createArrayNode().add(p), d));
        assertEquals("perturbations[0].index is " + shape + ", outside " + tensor + "'s shape " + shape, v.getMessage());
    }
}
