package dev.gradproof.external;

import dev.gradproof.api.Batch;
import dev.gradproof.api.Evaluation;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.api.Parameters;
import dev.gradproof.spec.BundledSpecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.gradproof.junit.GradientAssert.assertThatGradient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The child's side in Java: in-process over byte streams, and as a real child JVM. */
@Timeout(60)
class ProtocolServerTest {
    private static final String HELLO = "{\"op\":\"hello\",\"protocol\":1,\"network\":{\"inputs\":2,\"layers\":["
            + "{\"in\":2,\"out\":2,\"activation\":\"tanh\",\"bias\":true},"
            + "{\"in\":2,\"out\":1,\"activation\":\"sigmoid\",\"bias\":false}],"
            + "\"loss\":{\"type\":\"squared_error\",\"reduction\":\"sum\"},\"l2\":{\"lambda\":0.0,\"biases\":false}}}";
    private static final String PARAMS = "\"params\":{\"W1\":[[0.5,-0.25],[1.0,2.0]],\"b1\":[0.0,0.5],\"W2\":[[1.0,-1.0]]}";
    private static final String XY = "\"x\":[[1.0,0.0],[0.0,1.0]],\"y\":[[1.0],[0.0]]";

    private static List<String> serve(NetworkUnderTest impl, String... requests) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProtocolServer.serve(impl, new ByteArrayInputStream((String.join("\n", requests) + "\n")
                .getBytes(StandardCharsets.UTF_8)), out);
        return List.of(out.toString(StandardCharsets.UTF_8).split("\n"));
    }

    private static NetworkUnderTest throwing(RuntimeException e) {
        return (n, p, b) -> {
            throw e;
        };
    }

    @Test
    void answersEveryRequestWithOneLine() {
        List<String> answers = serve(new JavaTanhNetwork.Quiet(),
                HELLO,
                "{\"op\":\"evaluate\"," + PARAMS + "," + XY + ",\"want\":[\"loss\",\"gradient\"]}",
                "{\"op\":\"evaluate\"," + PARAMS + "," + XY + ",\"want\":[\"loss\"]}",
                "{\"op\":\"losses\"," + PARAMS + "," + XY + ",\"perturbations\":[{\"param\":\"W1\",\"index\":[0,1],"
                        + "\"delta\":0.001},{\"param\":\"b1\",\"index\":[1],\"delta\":-0.001}]}",
                "{\"op\":\"bye\"}",
                "{\"op\":\"hello\"}");
        assertEquals(5, answers.size(), "nothing after bye: " + answers);
        assertEquals("{\"ok\":true,\"implementation\":\"java-tanh\",\"dtype\":\"float64\",\"protocol\":1}", answers.get(0));
        assertTrue(answers.get(1).matches("\\{\"ok\":true,\"loss\":[0-9.E-]+,\"gradient\":\\{\"W1\":\\[\\[[^]]*],\\[[^]]*]],"
                + "\"b1\":\\[[^]]*],\"W2\":\\[\\[[^]]*]]}}"), answers.get(1));
        assertTrue(answers.get(2).matches("\\{\"ok\":true,\"loss\":[0-9.E-]+}"), answers.get(2));
        assertTrue(answers.get(3).matches("\\{\"ok\":true,\"losses\":\\[[0-9.E-]+,[0-9.E-]+]}"), answers.get(3));
        assertEquals("{\"ok\":true}", answers.get(4));
    }

    @Test
    void badRequestsAndFailingImplementationsAreRefusedAndServingGoesOn() {
        String evaluate = "{\"op\":\"evaluate\"," + PARAMS + "," + XY + "}";
        assertEquals(List.of(
                        "{\"ok\":false,\"error\":\"evaluate before hello\"}",
                        "{\"ok\":false,\"error\":\"request is not valid JSON: {oops\"}",
                        "{\"ok\":false,\"error\":\"unknown op \\\"train\\\" (expected hello, evaluate, losses or bye)\"}",
                        "{\"ok\":false,\"error\":\"network.input is missing\",\"protocol\":2}",   // a version 2 hello with a version 1 network
                        "{\"ok\":true,\"implementation\":\"java-tanh\",\"dtype\":\"float64\",\"protocol\":1}",
                        "{\"ok\":false,\"error\":\"params W1 row 1 has 1 columns, expected 2 ([out][in] = [2][2])\"}",
                        "{\"ok\":false,\"error\":\"y has 1 rows, expected 2 ([examples][outputs] = [2][1])\"}",
                        "{\"ok\":false,\"error\":\"params has b2, which the network does not have (layer 2 has no bias)\"}",
                        "{\"ok\":false,\"error\":\"perturbations[0].index is [2,0], outside W1's shape [2][2]\"}"),
                serve(new JavaTanhNetwork.Quiet(),
                        evaluate,
                        "{oops",
                        "{\"op\":\"train\"}",
                        HELLO.replace("\"protocol\":1", "\"protocol\":2"),
                        HELLO,
                        evaluate.replace("[1.0,2.0]", "[1.0]"),
                        evaluate.replace("\"y\":[[1.0],[0.0]]", "\"y\":[[1.0]]"),
                        evaluate.replace("\"W2\":[[1.0,-1.0]]", "\"W2\":[[1.0,-1.0]],\"b2\":[0.0]"),
                        "{\"op\":\"losses\"," + PARAMS + "," + XY + ",\"perturbations\":[{\"param\":\"W1\",\"index\":[2,0],"
                                + "\"delta\":0.001}]}"));
        String evaluateOnly = "{\"op\":\"evaluate\"," + PARAMS + "," + XY + "}";
        assertEquals("{\"ok\":false,\"error\":\"IllegalStateException: out of coffee\"}",
                serve(throwing(new IllegalStateException("out of coffee")), HELLO, evaluateOnly).get(1));
        NetworkUnderTest nan = (n, p, b) -> {
            Parameters g = Parameters.zerosLike(p);
            g.weights(2)[0][1] = Double.NaN;
            return new Evaluation(1.0, g);
        };
        assertTrue(serve(nan, HELLO, evaluateOnly).get(1).endsWith(
                "\"error\":\"gradient W2[0,1] is NaN, which JSON cannot carry\"}"));
    }

    private static List<String> javaChild(String className) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), ProtocolServer.class.getName(), className);
    }

    @Test
    void aJavaImplementationRunsOutOfProcessAndAgreesWithTheReference() {
        try (ProcessNetwork net = new ProcessNetwork(javaChild(JavaTanhNetwork.class.getName()), null,
                Duration.ofSeconds(30), Duration.ofSeconds(30))) {
            assertThatGradient(net).agreesWith(BundledSpecs.load("specs/tanh-tutorial-fixed.yaml"));
            assertEquals("java-tanh", net.name());
        }
    }

    @Test
    void aJavaLayerGraphIsServedInVersion2AndItsScatterBugIsLocated() {
        var spec = BundledSpecs.load("specs/layers/embedding-repeats.yaml");
        try (ProcessNetwork net = new ProcessNetwork(javaChild(JavaEmbeddingNetwork.class.getName()), null,
                Duration.ofSeconds(30), Duration.ofSeconds(30))) {
            assertThatGradient(net).agreesWith(spec);
        }
        try (ProcessNetwork net = new ProcessNetwork(javaChild(JavaEmbeddingNetwork.Assigning.class.getName()), null,
                Duration.ofSeconds(30), Duration.ofSeconds(30))) {
            org.opentest4j.AssertionFailedError e = assertThrows(org.opentest4j.AssertionFailedError.class,
                    () -> assertThatGradient(net).agreesWith(spec));
            assertTrue(e.getMessage().contains("parameter-trials mismatch, in layer 1 (embed: embedding)"), e.getMessage());
        }
    }

    @Test
    void aDenseChainOfferedInVersion2IsDeclinedSoTheParentFallsBackToVersion1() {
        String hello2 = new String(Protocol.line(GraphWire.hello(GraphWire.of(Children.SMALL))), StandardCharsets.UTF_8).strip();
        assertEquals(List.of("{\"ok\":false,\"error\":\"a dense chain is served in protocol 1 (this server speaks 2 for"
                + " layer graphs only)\"}"), serve(new JavaTanhNetwork(), hello2));
        assertEquals(List.of("{\"ok\":false,\"error\":\"network.layers is empty\",\"protocol\":2}"),
                serve(new JavaTanhNetwork(), "{\"op\":\"hello\",\"protocol\":2,\"accepts\":[1,2],\"network\":{"
                        + "\"input\":{\"kind\":\"features\",\"shape\":[2]},\"layers\":[]}}"));
    }

    @Test
    void aRequestForTheInputGradientIsRefusedWithItsReason() throws java.io.IOException {
        var exchanges = V2Fixtures.read("conv1d").get("exchanges");
        var evaluate = (com.fasterxml.jackson.databind.node.ObjectNode) exchanges.get(1).get("request").deepCopy();
        evaluate.putArray("want").add("loss").add("gradient").add("input_gradient");
        List<String> answers = serve(throwing(new IllegalStateException("not reached")),
                exchanges.get(0).get("request").toString(), evaluate.toString());
        assertTrue(answers.get(0).startsWith("{\"ok\":true,") && answers.get(0).endsWith(",\"protocol\":2}"), answers.get(0));
        assertEquals("{\"ok\":false,\"error\":\"input_gradient: a Java NetworkUnderTest gives no gradient with respect to"
                + " its inputs (an Evaluation holds the loss and the parameters' gradient)\"}", answers.get(1));
    }

    @Test
    void aClassThatIsNotThereEndsTheChildWithItsReason() {
        List<String> command = javaChild("com.example.Nope");
        try (ProcessNetwork net = new ProcessNetwork(command, null, Duration.ofSeconds(30), Duration.ofSeconds(30))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> net.evaluate(Children.SMALL, Children.params(Children.SMALL), Children.batch(Children.SMALL)));
            assertTrue(e.getMessage().endsWith(": exited with code 2 before answering hello\n"
                    + "last lines of stderr:\n"
                    + "  ProtocolServer: no class com.example.Nope on the class path"), e.getMessage());
        }
    }

    public static final class NeedsArgument implements NetworkUnderTest {
        public NeedsArgument(int size) {
        }

        @Override
        public Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void instantiateNamesWhatIsWrongWithTheClass() {
        assertEquals("java.lang.String does not implement dev.gradproof.api.NetworkUnderTest",
                assertThrows(IllegalArgumentException.class, () -> ProtocolServer.instantiate("java.lang.String")).getMessage());
        assertEquals(NeedsArgument.class.getName() + " has no public no-argument constructor",
                assertThrows(IllegalArgumentException.class, () -> ProtocolServer.instantiate(NeedsArgument.class.getName()))
                        .getMessage());
        assertEquals(JavaTanhNetwork.Quiet.class.getName(),
                ProtocolServer.instantiate(JavaTanhNetwork.Quiet.class.getName()).getClass().getName());
    }
}
