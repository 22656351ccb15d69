package dev.gradproof.external;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gradproof.api.Batch;
import dev.gradproof.api.Evaluation;
import dev.gradproof.api.GraphDescription;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.Parameters;
import dev.gradproof.api.Perturbation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java parent talking to a child that answers with chosen lines (replay.py): every answer of
 * parent-checks.json gives exactly its message, and negotiation.json's version 1 child gets the dense
 * chain in version 1 and the graph's "needs protocol 2" error.
 */
class ProtocolV2ParentTest {
    @TempDir
    Path dir;

    private ProcessNetwork replay(List<String> answers) throws IOException {
        Path file = dir.resolve("answers.jsonl");
        Files.write(file, answers);
        return new ProcessNetwork(Children.fakeCommand("replay.py", file.toString(), received().toString()));
    }

    private Path received() {
        return dir.resolve("received.jsonl");
    }

    private List<JsonNode> requests() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(received())) {
            out.add(V2Fixtures.JSON.readTree(line));
        }
        return out;
    }

    static Stream<Integer> cases() throws IOException {
        return Stream.iterate(0, i -> i + 1).limit(V2Fixtures.read("parent-checks").get("cases").size());
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void eachWrongAnswerGivesExactlyItsMessage(int i) throws IOException {
        JsonNode fixture = V2Fixtures.read("parent-checks");
        JsonNode c = fixture.get("cases").get(i);
        JsonNode requests = fixture.get("requests");
        V2Fixtures.Built b = V2Fixtures.build(requests.get("hello").get("network"), true);
        NetworkDescription net = b.description();
        JsonNode evaluate = requests.get("evaluate");
        Parameters params = GraphWire.tensors(evaluate.get("params"), "params", b.wire());
        Batch batch = V2Fixtures.batch(b, evaluate, 0);
        String op = c.get("answers").asText();
        List<String> answers = op.equals("hello") ? List.of(c.get("line").asText())
                : List.of("{\"ok\": true, \"protocol\": 2}", c.get("line").asText());
        try (ProcessNetwork child = replay(answers)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
                switch (op) {
                    case "hello" -> child.start(net);
                    case "evaluate" -> child.evaluateWithInputGradient(net, params, batch);
                    default -> child.losses(net, params, batch, V2Fixtures.perturbations(requests.get("losses"), b.wire()));
                }
            });
            String expected = child.command() + ": " + c.get("error").asText() + "\n";
            assertTrue(e.getMessage().startsWith(expected), "expected\n" + expected + "got\n" + e.getMessage());
        }
    }

    @Test
    void theGoodAnswerIsReadWithItsInputGradient() throws IOException {
        JsonNode fixture = V2Fixtures.read("parent-checks");
        JsonNode requests = fixture.get("requests");
        V2Fixtures.Built b = V2Fixtures.build(requests.get("hello").get("network"), true);
        JsonNode evaluate = requests.get("evaluate");
        Parameters params = GraphWire.tensors(evaluate.get("params"), "params", b.wire());
        Batch batch = V2Fixtures.batch(b, evaluate, 0);
        JsonNode good = fixture.get("good_answer_to_evaluate");
        try (ProcessNetwork child = replay(List.of("{\"ok\": true, \"protocol\": 2, \"implementation\": \"replay\"}",
                good.toString()))) {
            ProcessNetwork.WithInputGradient answer = child.evaluateWithInputGradient(b.description(), params, batch);
            assertEquals(good.get("loss").asDouble(), answer.evaluation().loss());
            assertEquals(good.get("gradient").get("conv1.weight").get(1).get(0).get(1).get(1).asDouble(),
                    answer.evaluation().gradient().tensor("conv1.weight").get(1, 0, 1, 1));
            assertEquals(good.get("input_gradient").get(1).get(0).get(2).get(0).asDouble(),
                    answer.inputGradient()[1][2 * 3]);
            assertEquals("replay", child.name());
        }
        String d = V2Fixtures.difference(requests.get("hello"), requests().get(0), "hello");
        assertNull(d, d);
        d = V2Fixtures.difference(evaluate, requests().get(1), "evaluate");
        assertNull(d, d);
    }

    /** The dense chain of negotiation.json: refused in version 2, then the fixture's version 1 conversation. */
    private void denseChainFallsBack(boolean asGraph) throws IOException {
        JsonNode exchanges = V2Fixtures.read("negotiation").get("dense_chain");
        JsonNode hello2 = exchanges.get(0).get("request");
        V2Fixtures.Built b = V2Fixtures.build(hello2.get("network"), asGraph);
        JsonNode evaluate = exchanges.get(2).get("request");
        Parameters dense = Protocol.parameters(evaluate.get("params"), "params", Negotiation.version1(b.description()));
        Parameters params = asGraph ? Negotiation.named(dense, b.description()) : dense;
        Batch batch = V2Fixtures.batch(b, evaluate, 0);
        List<String> answers = new ArrayList<>();
        exchanges.forEach(e -> answers.add(e.get("answer").toString()));
        Evaluation got;
        try (ProcessNetwork child = replay(answers)) {
            got = child.evaluate(b.description(), params, batch);
            if (exchanges.size() > 3) {
                List<Perturbation> ps = new ArrayList<>();
                JsonNode losses = exchanges.get(3).get("request");
                for (Perturbation p : V2Fixtures.perturbations(losses, b.wire())) {
                    ps.add(asGraph ? p : Negotiation.version1(p, new NetworkDescription(0, List.of(), "", "", 0, false,
                            b.wire())));
                }
                child.losses(b.description(), params, batch, ps);
            }
        }
        List<JsonNode> sent = requests();
        for (int i = 0; i < exchanges.size(); i++) {
            String d = V2Fixtures.difference(exchanges.get(i).get("request"), sent.get(i), "request " + i);
            assertNull(d, d);
        }
        JsonNode w1 = exchanges.get(2).get("answer").get("gradient").get("W1");
        double expected = w1.get(2).get(1).asDouble();
        assertEquals(expected, asGraph ? got.gradient().tensor("dense1.weight").get(2, 1) : got.gradient().weights(1)[2][1]);
        JsonNode b2 = exchanges.get(2).get("answer").get("gradient").get("b2");
        assertEquals(b2.get(1).asDouble(), asGraph ? got.gradient().tensor("dense2.bias").get(1) : got.gradient().biases(2)[1]);
    }

    @Test
    void aDenseChainContinuesInVersion1WithAVersion1Child() throws IOException {
        denseChainFallsBack(false);
    }

    @Test
    void aDenseChainWrittenAsAGraphIsRenamedToW1B1AndBack() throws IOException {
        denseChainFallsBack(true);
    }

    @Test
    void aGraphOfferedToAVersion1ChildIsTheNeedsProtocol2Error() throws IOException {
        JsonNode fixture = V2Fixtures.read("negotiation");
        JsonNode exchange = fixture.get("graph").get(0);
        V2Fixtures.Built graph = V2Fixtures.build(exchange.get("request").get("network"), true);
        JsonNode dense = fixture.get("dense_chain").get(1);
        V2Fixtures.Built chain = V2Fixtures.build(fixture.get("dense_chain").get(0).get("request").get("network"), false);
        try (ProcessNetwork child = replay(List.of(exchange.get("answer").toString(), dense.get("answer").toString()))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> child.start(graph.description()));
            assertEquals(child.command() + ": " + fixture.get("graph_error").asText(), e.getMessage());
            // the same process is not asked again: the dense chain goes straight to version 1
            child.start(chain.description());
        }
        List<JsonNode> sent = requests();
        String d = V2Fixtures.difference(exchange.get("request"), sent.get(0), "hello");
        assertNull(d, d);
        d = V2Fixtures.difference(dense.get("request"), sent.get(1), "second hello");
        assertNull(d, d);
    }

    @Test
    void everyReasonAGraphNeedsVersion2IsNamed() {
        List<String> reasons = List.of(
                reason("input: {shape: [3, 2], kind: sequence}\n  layers: [{units: 2}]"),
                reason("input: [3]\n  layers: [{name: hidden, units: 3, activation: softmax}, {units: 3}]"),
                reason("input: [3]\n  layers: [{name: a, units: 3}, {name: skip, units: 3, from: [input]},"
                        + " {type: add, from: [a, skip]}]"),
                reason("input: [3]\n  layers: [{units: 3}]\nloss: {type: huber}"));
        assertEquals(List.of("the input is sequence [3, 2] (steps, features)",
                "layer 1 (hidden) has activation softmax before the last layer", "layer 2 (skip) reads input",
                "the loss is huber"), reasons);
    }

    private static String reason(String network) {
        String yaml = "name: r\nnetwork:\n  " + network + (network.contains("loss:") ? "" : "\nloss: {type: mse}")
                + "\ndata: {examples: 2}\n";
        try {
            var spec = new dev.gradproof.spec.SpecLoader().parse(yaml, Path.of("r.yaml"));
            var g = dev.gradproof.network.graph.GraphFactory.build(spec);
            return Negotiation.whyNotVersion1(dev.gradproof.compare.GraphConversions.describe(spec, g)).orElse("none");
        } catch (Exception e) {
            throw new AssertionError(yaml, e);
        }
    }

    @Test
    void noInputGradientIsAskedForTokenIds() throws IOException {
        JsonNode exchanges = V2Fixtures.read("embedding").get("exchanges");
        V2Fixtures.Built b = V2Fixtures.build(exchanges.get(0).get("request").get("network"), true);
        JsonNode evaluate = exchanges.get(1).get("request");
        Parameters params = GraphWire.tensors(evaluate.get("params"), "params", b.wire());
        try (ProcessNetwork never = new ProcessNetwork(List.of("no-such-child"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> never
                    .evaluateWithInputGradient(b.description(), params, V2Fixtures.batch(b, evaluate, 0)));
            assertEquals("no-such-child: the input gradient is not defined for token ids", e.getMessage());
            assertTrue(never.process().isEmpty());
        }
    }

    /** A version 1 child is asked for no input gradient: it could not give one. */
    @Test
    void aVersion1ChildIsAskedForNoInputGradient() throws IOException {
        JsonNode fixture = V2Fixtures.read("negotiation");
        JsonNode exchanges = fixture.get("dense_chain");
        V2Fixtures.Built b = V2Fixtures.build(exchanges.get(0).get("request").get("network"), true);
        JsonNode evaluate = exchanges.get(2).get("request");
        Parameters params = Negotiation.named(Protocol.parameters(evaluate.get("params"), "params",
                Negotiation.version1(b.description())), b.description());
        try (ProcessNetwork child = replay(List.of(exchanges.get(0).get("answer").toString(),
                exchanges.get(1).get("answer").toString()))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> child
                    .evaluateWithInputGradient(b.description(), params, V2Fixtures.batch(b, evaluate, 0)));
            assertEquals(child.command() + ": the input gradient needs protocol 2; the child answered the protocol 2"
                    + " hello with: ValueError: protocol 2 is not supported (this is protocol 1)", e.getMessage());
        }
        assertEquals(List.of("hello", "hello", "bye"), requests().stream().map(r -> r.get("op").asText()).toList());
    }

    @Test
    void aDenseChainNeedsNothingMore() throws IOException {
        JsonNode network = V2Fixtures.read("negotiation").get("dense_chain").get(0).get("request").get("network");
        GraphDescription d = V2Fixtures.build(network, true).wire();
        assertEquals("none", Negotiation.whyNotVersion1(new NetworkDescription(0, List.of(), "", "", 0, false, d))
                .orElse("none"));
    }
}
