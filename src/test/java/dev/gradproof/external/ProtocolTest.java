package dev.gradproof.external;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.Parameters;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static dev.gradproof.external.Children.NET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import java.util.List;
import org.junit.jupiter.api.function.Executable;

/** The wire format's reading side: every problem named by its field. */
class ProtocolTest {
    private static JsonNode json(String s) throws Exception {
        return Protocol.STRICT.readTree(s);
    }

    private static String violation(Executable e) {
        return assertThrows(Protocol.Violation.class, e).getMessage();
    }

    @Test
    void numbers() throws Exception {
        JsonNode a = json("{\"n\":null,\"s\":\"0.5\",\"big\":1e999,\"ok\":2.5,\"i\":3}");
        assertEquals("loss is null, expected a number", violation(() -> Protocol.number(a.get("n"), "loss")));
        assertEquals("loss is \"0.5\", expected a number", violation(() -> Protocol.number(a.get("s"), "loss")));
        assertEquals("loss is Infinity", violation(() -> Protocol.number(a.get("big"), "loss")));
        assertEquals("loss is missing", violation(() -> Protocol.number(a.get("none"), "loss")));
        assertEquals(2.5, Protocol.number(a.get("ok"), "loss"));
        assertEquals(3.0, Protocol.number(a.get("i"), "loss"));
    }

    @Test
    void gradientShapes() throws Exception {
        String w1 = "\"W1\":[[0,0,0],[0,0,0],[0,0,0]]";
        String b1 = "\"b1\":[0,0,0]";
        String w2 = "\"W2\":[[0,0,0],[0,0,0],[0,0,0],[0,0,0]]";
        String b2 = "\"b2\":[0,0,0,0]";
        Parameters p = Protocol.parameters(json("{" + w1 + "," + b1 + "," + w2 + "," + b2 + "}"), "gradient", NET);
        assertEquals(4, p.weights(2).length);
        assertEquals("gradient W2 row 1 has 2 columns, expected 3 ([out][in] = [4][3])", violation(() -> Protocol.parameters(
                json("{" + w1 + "," + b1 + ",\"W2\":[[0,0,0],[0,0],[0,0,0],[0,0,0]]," + b2 + "}"), "gradient", NET)));
        assertEquals("gradient b1 has 2 entries, expected 3 ([out] = [3])", violation(() -> Protocol.parameters(
                json("{" + w1 + ",\"b1\":[0,0]," + w2 + "," + b2 + "}"), "gradient", NET)));
        assertEquals("gradient b2 is missing ([out] = [4])", violation(() -> Protocol.parameters(
                json("{" + w1 + "," + b1 + "," + w2 + "}"), "gradient", NET)));
        assertEquals("gradient has W3, which the network does not have (it has 2 layers)", violation(() ->
                Protocol.parameters(json("{" + w1 + "," + b1 + "," + w2 + "," + b2 + ",\"W3\":[]}"), "gradient", NET)));
        assertEquals("gradient has w1, which the network does not have (expected W1.. and b1..)", violation(() ->
                Protocol.parameters(json("{" + w1 + "," + b1 + "," + w2 + "," + b2 + ",\"w1\":[]}"), "gradient", NET)));
        assertEquals("gradient W1[2,1] is null, expected a number", violation(() -> Protocol.parameters(
                json("{\"W1\":[[0,0,0],[0,0,0],[0,null,0]]," + b1 + "," + w2 + "," + b2 + "}"), "gradient", NET)));
        assertEquals("gradient W1 is {}, expected an array of rows ([out][in] = [3][3])", violation(() ->
                Protocol.parameters(json("{\"W1\":{}," + b1 + "," + w2 + "," + b2 + "}"), "gradient", NET)));
        assertEquals("gradient is [], expected an object", violation(() -> Protocol.parameters(json("[]"), "gradient", NET)));
    }

    @Test
    void networksRoundTrip() throws Exception {
        NetworkDescription leaky = new NetworkDescription(2, List.of(
                new NetworkDescription.Layer(2, 3, "leaky_relu", 0.2, 1.0, null, true),
                new NetworkDescription.Layer(3, 2, "elu", 0.01, 0.5, null, false),
                new NetworkDescription.Layer(2, 1, "custom", 0.01, 1.0, "x / (1 + abs(x))", true)),
                "mse", "mean", 3.0, true);
        byte[] line = Protocol.line(g -> Protocol.writeNetwork(g, leaky));
        assertEquals(leaky, Protocol.network(json(new String(line, StandardCharsets.UTF_8)).get("network")));
        assertEquals("network.layers[1].in is 2, expected 3 (the out of layer 0)", violation(() -> Protocol.network(json(
                "{\"inputs\":2,\"layers\":[{\"in\":2,\"out\":3,\"activation\":\"tanh\"},{\"in\":2,\"out\":1,"
                        + "\"activation\":\"tanh\"}],\"loss\":{\"type\":\"mse\",\"reduction\":\"sum\"}}"))));
    }

    @Test
    void nonFiniteValuesAreNotWritten() {
        assertEquals("x[0,1] is NaN, which JSON cannot carry", violation(() -> Protocol.line(g ->
                Protocol.writeMatrix(g, "x", "x", new double[][] {{1, Double.NaN}}))));
    }
}
