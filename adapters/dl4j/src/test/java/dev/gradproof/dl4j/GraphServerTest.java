package dev.gradproof.dl4j;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The protocol 2 child in this JVM against the fixtures of src/test/resources/protocol/v2 (PyTorch's
 * answers, float64): every served layer type gives PyTorch's loss and gradient times exactly the factor
 * of DL4J's documented conventions (docs/DL4J.md), which a wrong layout, gate order or flattening
 * would break; what DL4J cannot build is refused at hello with its reason.
 */
class GraphServerTest {

    private static JsonNode fixture(String name) throws IOException {
        Path root = Path.of(System.getProperty("gradproof.root", "../.."));
        return GraphServer.JSON.readTree(Files.readString(root.resolve("src/test/resources/protocol/v2/" + name + ".json")));
    }

    private static JsonNode request(JsonNode fixture, int exchange) {
        JsonNode r = fixture.get("exchanges").get(exchange).get("request").deepCopy();
        if (r.has("want")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) r).putArray("want").add("loss").add("gradient");
        }
        return r;
    }

    private static JsonNode ask(GraphServer server, JsonNode request) throws IOException {
        return GraphServer.JSON.readTree(server.answer(request.toString()));
    }

    private static List<Double> flat(JsonNode n, List<Double> into) {
        if (n.isArray()) {
            n.forEach(e -> flat(e, into));
        } else {
            into.add(n.asDouble());
        }
        return into;
    }

    /**
     * DL4J's factors on the spec's loss and gradient: L2 has no ½ (×2, squared_error); RnnOutputLayer
     * sums the steps (×T under steps: mean); the gradient is summed over the batch (×N under mean).
     */
    private static double[] conventions(JsonNode network, int examples) {
        JsonNode loss = network.get("loss");
        JsonNode layers = network.get("layers");
        JsonNode out = layers.get(layers.size() - 1).get("output");
        double l = loss.get("type").asText().equals("squared_error") ? 2 : 1;
        if (out.get("kind").asText().equals("sequence") && loss.get("steps").asText().equals("mean")) {
            l *= out.get("shape").get(0).asInt();
        }
        double g = loss.get("reduction").asText().equals("mean") ? l * examples : l;
        return new double[] {l, g};
    }

    @ParameterizedTest
    @ValueSource(strings = {"conv2d-stride-padding", "conv1d", "max-pool-ties", "avg-pool", "batch-norm-channels",
            "dropout", "lstm-last", "rnn-sequence", "kinks-relu-l1"})
    void answersArePyTorchsTimesTheDocumentedConventions(String name) throws IOException {
        JsonNode f = fixture(name);
        GraphServer server = new GraphServer(null);
        JsonNode hello = ask(server, request(f, 0));
        assertTrue(hello.get("ok").asBoolean(), hello::toString);
        assertEquals(2, hello.get("protocol").asInt());

        JsonNode evaluate = request(f, 1);
        JsonNode torch = f.get("exchanges").get(1).get("answer");
        double[] factor = conventions(request(f, 0).get("network"), evaluate.get("x").size());
        JsonNode dl4j = ask(server, evaluate);
        assertTrue(dl4j.get("ok").asBoolean(), dl4j::toString);
        assertEquals(factor[0] * torch.get("loss").asDouble(), dl4j.get("loss").asDouble(),
                1e-12 * Math.abs(factor[0] * torch.get("loss").asDouble()), "loss");
        torch.get("gradient").fields().forEachRemaining(e -> {
            List<Double> t = flat(e.getValue(), new ArrayList<>());
            List<Double> d = flat(dl4j.get("gradient").get(e.getKey()), new ArrayList<>());
            assertEquals(t.size(), d.size(), e.getKey());
            double scale = t.stream().mapToDouble(Math::abs).max().orElse(0) * factor[1];
            for (int i = 0; i < t.size(); i++) {
                assertEquals(factor[1] * t.get(i), d.get(i), 1e-12 * scale + 1e-300, e.getKey() + "[" + i + "]");
            }
        });

        JsonNode losses = ask(server, request(f, 2));
        JsonNode torchLosses = f.get("exchanges").get(2).get("answer").get("losses");
        assertEquals(torchLosses.size(), losses.get("losses").size());
        for (int i = 0; i < torchLosses.size(); i++) {
            double expected = factor[0] * torchLosses.get(i).asDouble();
            assertEquals(expected, losses.get("losses").get(i).asDouble(), 1e-12 * Math.abs(expected), "losses[" + i + "]");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "gru-tokens|DL4J adapter: layer gru1 (gru): DL4J 1.0.0-M2.1 has no GRU layer (only LSTM, GravesLSTM and SimpleRnn)",
        "layer-norm|DL4J adapter: layer layer_norm1 (layer_norm): DL4J 1.0.0-M2.1 has no layer normalisation layer (only SimpleRnn's built-in one)",
        "embedding|DL4J adapter: layer pos (position_embedding): DL4J 1.0.0-M2.1 has no learned position embedding layer",
        "attention-causal-residual|DL4J adapter: layer attn (attention): causal attention: DL4J's SelfAttentionLayer has no causal mask",
        "kinks-elu-hinge|DL4J adapter: loss hinge is not mapped: DL4J's HINGE is the binary max(0, 1 - y·a) with labels ±1, not the multi-class margin loss of the spec",
        "conv2d-dilation-no-bias|DL4J adapter: loss huber is not mapped: DL4J 1.0.0-M2.1 has no Huber loss",
        "loss-kl-log-probabilities|DL4J adapter: layer dense1 (dense): kl_divergence on log-probabilities: DL4J's KL_DIVERGENCE reads probabilities (served after softmax on the last layer)",
        "batch-norm-features|DL4J adapter: L2 on a layer graph is not mapped (DL4J adds its L2 gradient in the updater, docs/DL4J.md convention 3)",
    })
    void whatDl4jCannotBuildIsRefusedAtHelloWithItsReason(String name, String message) throws IOException {
        JsonNode a = ask(new GraphServer(null), request(fixture(name), 0));
        assertFalse(a.get("ok").asBoolean());
        assertEquals(message, a.get("error").asText());
        assertEquals(2, a.get("protocol").asInt(), "a refusal still says protocol 2, or the parent takes it for a v1 child");
    }

    @Test
    void theInputGradientIsRefusedWithItsReason() throws IOException {
        JsonNode f = fixture("conv2d-stride-padding");
        GraphServer server = new GraphServer(null);
        ask(server, request(f, 0));
        JsonNode a = ask(server, f.get("exchanges").get(1).get("request"));
        assertFalse(a.get("ok").asBoolean());
        assertEquals("input_gradient is not offered: DL4J 1.0.0-M2.1's ComputationGraph has no public call returning "
                + "the gradient with respect to its inputs", a.get("error").asText());
    }

    @Test
    void aDenseChainIsServedByTheMultiLayerNetworkWithVersionOneConventions() throws IOException {
        // dense-chain: squared_error, mean over 3 examples, L2 on the weights. The biases (no L2) show
        // conventions 1 and 2 alone: ×2N = 6.
        JsonNode f = fixture("dense-chain");
        GraphServer server = new GraphServer(null);
        assertTrue(ask(server, request(f, 0)).get("ok").asBoolean());
        JsonNode dl4j = ask(server, request(f, 1));
        JsonNode torch = f.get("exchanges").get(1).get("answer");
        for (String bias : new String[] {"dense1.bias", "dense2.bias"}) {
            List<Double> t = flat(torch.get("gradient").get(bias), new ArrayList<>());
            List<Double> d = flat(dl4j.get("gradient").get(bias), new ArrayList<>());
            for (int i = 0; i < t.size(); i++) {
                assertEquals(6 * t.get(i), d.get(i), 1e-12 * Math.abs(6 * t.get(i)), bias + "[" + i + "]");
            }
        }
    }

    @Test
    void attentionGradientsAreTwiceWhatTheConventionsExplain() throws IOException {
        // attention-no-bias: squared_error summed, so ×2 everywhere by convention 2; DL4J's attention
        // parameters get ×4 (docs/DL4J.md, "SelfAttentionLayer").
        JsonNode f = fixture("attention-no-bias");
        GraphServer server = new GraphServer(null);
        assertTrue(ask(server, request(f, 0)).get("ok").asBoolean());
        JsonNode dl4j = ask(server, request(f, 1));
        JsonNode torch = f.get("exchanges").get(1).get("answer");
        assertEquals(2 * torch.get("loss").asDouble(), dl4j.get("loss").asDouble(), 1e-12 * torch.get("loss").asDouble());
        for (String name : new String[] {"attention1.in_proj_weight", "attention1.out_proj.weight", "dense1.weight"}) {
            double factor = name.startsWith("attention1") ? 4 : 2;
            List<Double> t = flat(torch.get("gradient").get(name), new ArrayList<>());
            List<Double> d = flat(dl4j.get("gradient").get(name), new ArrayList<>());
            double scale = t.stream().mapToDouble(Math::abs).max().orElse(0) * factor;
            for (int i = 0; i < t.size(); i++) {
                assertEquals(factor * t.get(i), d.get(i), 1e-12 * scale, name + "[" + i + "]");
            }
        }
    }

    @Test
    void badRequestsAreAnsweredAndTheServerCarriesOnUntilBye() {
        GraphServer s = new GraphServer(null);
        assertEquals("{\"ok\":false,\"error\":\"request is not valid JSON\"}", s.answer("{"));
        assertEquals("{\"ok\":false,\"error\":\"evaluate before hello\"}", s.answer("{\"op\":\"evaluate\"}"));
        assertEquals("{\"ok\":false,\"error\":\"protocol 1 is not supported (this is protocol 2; a dense chain travels "
                + "in protocol 2 too)\",\"protocol\":2}", s.answer("{\"op\":\"hello\",\"protocol\":1}"));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        s.serve(new java.io.ByteArrayInputStream("{\"op\":\"bye\"}\n{\"op\":\"bye\"}\n".getBytes(
                java.nio.charset.StandardCharsets.UTF_8)), out);
        assertEquals("{\"ok\":true}\n", out.toString(java.nio.charset.StandardCharsets.UTF_8), "one answer: bye ends it");
    }
}
