package dev.gradproof.external;

import dev.gradproof.api.Batch;
import dev.gradproof.api.Evaluation;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.Parameters;
import dev.gradproof.api.Coordinate;
import dev.gradproof.api.Perturbation;
import dev.gradproof.spec.BundledSpecs;
import dev.gradproof.spec.Spec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opentest4j.AssertionFailedError;

import java.util.ArrayList;
import java.util.List;

import static dev.gradproof.external.Children.NET;
import static dev.gradproof.external.Children.SMALL;
import static dev.gradproof.external.Children.batch;
import static dev.gradproof.external.Children.params;
import static dev.gradproof.junit.GradientAssert.assertThatGradient;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** examples/numpy/net.py, checked by the engine against the bundled specs, with and without its bugs. */
@Timeout(120)
class NumpyNetTest {
    static final String NET_PY = "python3 examples/numpy/net.py";

    static ProcessNetwork numpy(String... flags) {
        return ProcessNetwork.of(NET_PY + (flags.length == 0 ? "" : " " + String.join(" ", flags)));
    }

    @Test
    void agreesWithTheExactGradientOnBundledSpecs() {
        try (ProcessNetwork net = numpy()) {
            for (String spec : List.of("tanh-tutorial-fixed", "softmax-cross-entropy", "ng-check-nn-gradients",
                    "relu-network", "l2-with-biases", "leaky-relu", "elu", "softplus", "sine-regression")) {
                assertThatGradient(net).agreesWith(BundledSpecs.load("specs/" + spec + ".yaml"));
            }
            assertEquals("numpy-net", net.name());
            assertEquals("float64", net.dtype());
        }
    }

    @Test
    void theTanhTanBugIsCaughtInLayers1And2() {
        try (ProcessNetwork net = numpy("--bug", "tanh-tan")) {
            AssertionFailedError e = assertThrows(AssertionFailedError.class,
                    () -> assertThatGradient(net).agreesWith(BundledSpecs.load("specs/tanh-tutorial-fixed.yaml")));
            assertTrue(e.getMessage().startsWith("Expecting the gradient of <numpy-net --bug tanh-tan> to agree with the "
                    + "exact gradient\n"), e.getMessage());
            assertTrue(e.getMessage().contains("parameter-trials mismatch, in layer 1 (") && e.getMessage().contains(
                    " and layer 2 ("), e.getMessage());
            assertTrue(!e.getMessage().contains("layer 3 ("), "the sigmoid output layer is right: " + e.getMessage());
        }
    }

    @Test
    void theMeanAndBiasBugsAreCaught() {
        Spec mean = BundledSpecs.load("specs/softmax-cross-entropy.yaml");
        for (String bug : List.of("sum-not-mean", "bias-first-example")) {
            try (ProcessNetwork net = numpy("--bug", bug)) {
                AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> assertThatGradient(net).agreesWith(mean));
                assertTrue(e.getMessage().contains("parameter-trials mismatch"), bug + ": " + e.getMessage());
            }
        }
    }

    /**
     * half-squared leaves the gradient right and the loss twice too large: the gradient comparison
     * cannot see it, the child's own finite differences can.
     */
    @Test
    void theHalfSquaredBugIsInTheLossOnly() {
        NetworkDescription d = SMALL;   // squared_error, sum
        Parameters p = params(d);
        Batch b = batch(d);
        try (ProcessNetwork good = numpy(); ProcessNetwork bad = numpy("--bug", "half-squared")) {
            Evaluation right = good.evaluate(d, p, b);
            Evaluation wrong = bad.evaluate(d, p, b);
            assertEquals(2 * right.loss(), wrong.loss(), 1e-12 * right.loss());
            assertArrayEquals(right.gradient().weights(1)[0], wrong.gradient().weights(1)[0], 0.0);
            double h = 1e-6;
            double[] both = bad.losses(d, p, b, List.of(new Perturbation(Coordinate.weight(1, 0, 1), h), new Perturbation(Coordinate.weight(1, 0, 1), -h)));
            double slope = (both[0] - both[1]) / (2 * h);
            assertEquals(2 * wrong.gradient().weights(1)[0][1], slope, 1e-6 * Math.abs(slope),
                    "its own loss changes twice as fast as its gradient says");
        }
    }

    @Test
    void float32IsDeclaredAndComputedInSinglePrecision() {
        try (ProcessNetwork f64 = numpy(); ProcessNetwork f32 = numpy("--dtype", "float32")) {
            Evaluation a = f64.evaluate(NET, params(NET), batch(NET));
            Evaluation b = f32.evaluate(NET, params(NET), batch(NET));
            assertEquals("float32", f32.dtype());
            assertEquals("numpy-net float32", f32.name());
            double w = a.gradient().weights(1)[0][0];
            double v = b.gradient().weights(1)[0][0];
            assertTrue(w != v && Math.abs(w - v) < 1e-5 * Math.abs(w) + 1e-7, w + " vs " + v);
            assertEquals((double) (float) v, v, 0.0, "a float32 value, sent as a double");
        }
    }

    @Test
    void lossesComeInChunksOf512AndMatchTheLossOfEachPoint() {
        NetworkDescription d = NET;
        Parameters p = params(d);
        Batch b = batch(d);
        List<Perturbation> list = new ArrayList<>();
        for (int k = 0; k < 600; k++) {
            int r = k % 4;
            int c = (k / 4) % 3;
            list.add(k % 2 == 0 ? new Perturbation(Coordinate.weight(2, r, c), 1e-3 * (k + 1)) : new Perturbation(Coordinate.bias(2, r), -1e-3 * k));
        }
        try (ProcessNetwork net = numpy()) {
            double[] losses = net.losses(d, p, b, list);
            assertEquals(600, losses.length);
            for (int k : new int[] {0, 1, 511, 512, 599}) {
                Parameters moved = p.copy();
                Perturbation q = list.get(k);
                if (q.parameter().bias()) {
                    moved.biases(2)[q.parameter().row()] += q.delta();
                } else {
                    moved.weights(2)[q.parameter().row()][q.parameter().column()] += q.delta();
                }
                assertEquals(net.loss(d, moved, b), losses[k], 0.0, "perturbation " + k);
            }
            assertTrue(!net.asksPointByPoint());
        }
    }

    @Test
    void aRefusedHelloLeavesTheChildRunning() {
        NetworkDescription custom = new NetworkDescription(2, List.of(
                new NetworkDescription.Layer(2, 1, "custom", 0.01, 1.0, "x / (1 + abs(x))", true)),
                "squared_error", "sum", 0, false);
        try (ProcessNetwork net = numpy()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> net.evaluate(custom, params(custom), batch(custom)));
            assertEquals(NET_PY + ": refused hello: ValueError: activation custom is not supported by net.py\n"
                    + "(nothing on stderr)", e.getMessage());
            long pid = net.process().orElseThrow().pid();
            net.evaluate(SMALL, params(SMALL), batch(SMALL));
            assertEquals(pid, net.process().orElseThrow().pid(), "the same child carries on");
        }
    }
}
