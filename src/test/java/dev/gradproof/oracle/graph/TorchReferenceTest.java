package dev.gradproof.oracle.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.gradproof.network.graph.Catalogue;
import dev.gradproof.network.graph.Gradients;
import dev.gradproof.network.graph.GraphCase;
import dev.gradproof.network.graph.GraphData;
import dev.gradproof.network.graph.GraphForward;
import dev.gradproof.network.graph.GraphLayout;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.Sample;
import dev.gradproof.network.graph.SampleData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The INDEPENDENT check of the reference itself: for every layer type (its samples and random shapes,
 * strides, paddings and seeds), every loss and every activation, the reference forward pass and its
 * gradients with respect to the parameters and the input (of a random linear functional of the output,
 * or of the loss) agree with PyTorch's autograd in float64 to 1e-12 normwise relative: relative to the
 * tensor's largest entry or, when larger, the largest magnitude of the terms its entries are sums of (a
 * bias right before a batch norm has a gradient of exactly 0 mathematically, which both sides compute as
 * rounding of terms of order 1), plus per entry the first-order effect of the forward pass's rounding
 * bound (a layer norm over one value normalises it to exactly 0 here, to rounding noise in PyTorch).
 * Both the
 * hand-written backward pass and the tape oracle are compared, so neither is trusted because it
 * agrees with the other.
 *
 * <p>One Python process answers every case (importing torch takes seconds). Without a Python that
 * imports torch the test FAILS: CI installs Debian's python3-torch.
 */
@Timeout(600)
class TorchReferenceTest {
    static final double REL = 1e-12;
    static final int RANDOM_PER_TYPE = 6;

    @TempDir
    Path dir;

    @Test
    void referenceForwardAndGradientsAgreeWithPyTorch() throws IOException {
        String python = TorchReference.python().orElse(null);
        if (python == null) {
            fail("no Python here imports torch: apt-get install python3-torch (CI installs it), or set GRADPROOF_PYTHON");
        }
        List<TorchReference.Sent> cases = cases(20261203L);
        Map<String, JsonNode> answers = TorchReference.run(python, cases, dir);
        List<String> problems = new ArrayList<>();
        for (TorchReference.Sent s : cases) {
            JsonNode a = answers.get(s.id());
            if (a == null || a.has("error")) {
                problems.add(s.id() + ": PyTorch could not run it: " + (a == null ? "no answer" : a.get("error").asText()));
                continue;
            }
            problems.addAll(check(s, a));
        }
        assertTrue(problems.isEmpty(), () -> problems.size() + " disagreements with PyTorch:\n" + String.join("\n", problems));
        assertTrue(cases.size() > 50, "too few cases: " + cases.size());
    }

    /** Functional cases for every layer type and activation; loss cases for every loss, with and without L2. */
    static List<TorchReference.Sent> cases(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<TorchReference.Sent> out = new ArrayList<>();
        for (Catalogue.Entry e : Catalogue.layers()) {
            List<Sample> samples = new ArrayList<>(e.samples());
            for (int i = 0; i < RANDOM_PER_TYPE; i++) {
                samples.add(e.random().apply(rnd.split()));
            }
            for (Sample s : samples) {
                GraphCase c = GraphCases.draw(e + ": " + s.name(), s, GraphCases.SQUARED, rnd.nextLong());
                out.add(functional(out.size() + " " + c.name(), c, rnd));
            }
        }
        for (GraphCase c : GraphCases.activations(rnd.nextLong())) {
            out.add(functional(out.size() + " " + c.name(), c, rnd));
        }
        for (Catalogue.LossCase l : Catalogue.losses()) {
            for (int variant = 0; variant < 2; variant++) {
                var b = l.sample().builder().loss(l.options());
                if (variant == 1) {
                    b.sum().l2(0.3, rnd.nextBoolean());
                }
                GraphNetwork g = b.build();
                GraphCase c = l.sample().draw(g, rnd.nextLong());
                out.add(new TorchReference.Sent(out.size() + " loss " + l.name() + (variant == 1 ? " sum + L2" : ""),
                        c, null, masks(c)));
            }
        }
        return out;
    }

    private static TorchReference.Sent functional(String id, GraphCase c, SplittableRandom rnd) {
        double[] coef = new double[c.network().outputShape().size() * c.data().examples()];
        for (int i = 0; i < coef.length; i++) {
            coef[i] = SampleData.gaussian(rnd);
        }
        return new TorchReference.Sent(id, c, coef, masks(c));
    }

    /** Dropout masks by layer name, as PyTorch must apply them (none until dropout exists). */
    static Map<String, double[]> masks(GraphCase c) {
        return GraphMasks.of(c);
    }

    static List<String> check(TorchReference.Sent s, JsonNode a) {
        GraphCase c = s.c();
        GraphNetwork g = c.network();
        GraphData data = c.data();
        GraphForward f = g.forward(c.theta(), data);
        List<String> problems = new ArrayList<>();
        add(problems, s.id(), TorchReference.compare("output", f.output(), a.get("out"), REL));
        double[] handWritten;
        double[] handInput = null;
        GraphExactGradient exact;
        if (s.functional() != null) {
            Gradients grads = g.backward(c.theta(), data, f, s.functional());
            handWritten = grads.parameters();
            handInput = grads.input();
            exact = TapeOracle.functional(g, c.theta(), data, s.functional());
        } else {
            double torchLoss = a.get("loss").asDouble(Double.NaN);
            if (!(Math.abs(f.loss - torchLoss) <= REL * Math.abs(torchLoss))) {
                problems.add(s.id() + ": loss " + f.loss + " here, " + torchLoss + " from PyTorch");
            }
            handWritten = g.gradient(c.theta(), data, f);
            exact = TapeOracle.compute(g, c.theta(), data);
        }
        GraphLayout layout = g.layout();
        for (GraphLayout.Tensor t : layout.tensors()) {
            JsonNode torch = a.path("grads").get(t.group());
            double[] magnitude = TorchReference.slice(exact.magnitude(), t);
            double[] forward = TorchReference.slice(exact.forwardMagnitude(), t);
            add(problems, s.id(), TorchReference.compare("hand-written d/d " + t.group(),
                    TorchReference.slice(handWritten, t), torch, REL, magnitude, forward));
            add(problems, s.id(), TorchReference.compare("tape d/d " + t.group(),
                    TorchReference.slice(exact.value(), t), torch, REL, magnitude, forward));
        }
        if (!TorchReference.tokens(g)) {
            if (handInput != null) {
                add(problems, s.id(), TorchReference.compare("hand-written d/dx", handInput, a.get("grad_x"), REL,
                        exact.inputMagnitude(), exact.inputForwardMagnitude()));
            }
            add(problems, s.id(), TorchReference.compare("tape d/dx", exact.inputGradient(), a.get("grad_x"), REL,
                    exact.inputMagnitude(), exact.inputForwardMagnitude()));
        }
        return problems;
    }

    private static void add(List<String> problems, String id, String problem) {
        if (problem != null) {
            problems.add(id + ": " + problem);
        }
    }

    /** The comparison itself must be able to fail: a relative change of 1e-9 in one value is refused. */
    @Test
    void theComparisonRefusesASmallChange() {
        ArrayNode torch = new ObjectMapper().createArrayNode().add(1.0).add(-2.0).add(0.5);
        assertEquals(null, TorchReference.compare("x", new double[] {1.0, -2.0, 0.5}, torch, REL));
        assertTrue(TorchReference.compare("x", new double[] {1.0, -2.0 * (1 + 1e-9), 0.5}, torch, REL) != null);
        assertTrue(TorchReference.compare("x", new double[] {1.0, Double.NaN, 0.5}, torch, REL) != null);
        assertTrue(TorchReference.compare("x", new double[] {1.0, -2.0}, torch, REL) != null);
    }
}
