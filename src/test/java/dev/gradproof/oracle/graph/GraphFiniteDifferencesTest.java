package dev.gradproof.oracle.graph;

import dev.gradproof.network.graph.GraphCase;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.oracle.FiniteDifference;
import dev.gradproof.oracle.RichardsonStencil;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The finite differences that recompute only what a perturbation reaches (a unit, a channel, the
 * examples of an embedding row, incremental W·Δx below) give what full forward passes of the whole
 * network give, with the same stencil and step: to within the two estimates' error bounds.
 */
class GraphFiniteDifferencesTest {

    @TestFactory
    Stream<DynamicTest> restrictedRecomputationMatchesFullForwardPasses() {
        return GraphCases.all(53).stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            List<String> bad = compare(c);
            assertEquals(List.of(), bad);
        }));
    }

    static List<String> compare(GraphCase c) {
        GraphNetwork g = c.network();
        GraphExactGradient exact = TapeOracle.compute(g, c.theta(), c.data());
        GraphFiniteDifferences fd = new GraphFiniteDifferences(g, c.theta(), c.data(), exact.lossRounding());
        double l0 = g.forward(c.theta(), c.data()).loss;
        List<String> out = new ArrayList<>();
        for (int p = 0; p < c.theta().length; p++) {
            GraphFiniteDifference fast = fd.estimate(p);
            double h = fd.step(p);
            double[] changes = new double[4];
            double[] moves = RichardsonStencil.moves(h);
            for (int q = 0; q < 4; q++) {
                double[] theta = c.theta().clone();
                theta[p] += moves[q];
                changes[q] = g.forward(theta, c.data()).loss - l0;
            }
            FiniteDifference full = RichardsonStencil.estimate(changes, 0, h, exact.lossRounding() + Math.ulp(l0));
            if (!(Math.abs(fast.value() - full.value()) <= fast.error() + full.error())) {
                out.add(c + ": " + g.layout().name(p) + ": restricted " + fast.value() + " ± " + fast.error()
                        + ", full passes " + full.value() + " ± " + full.error());
            }
        }
        return out;
    }

    /**
     * The branch-free side test is the sign comparison it replaced, Double.compare(signum(v − kink),
     * signum(v0 − kink)) for v != v0, on every pair of edge values: both zeros, the kink itself, its
     * neighbours, infinities, NaN.
     */
    @Test
    void sidesOfAKinkAreTheSignsOfTheDifference() {
        int crossings = 0;
        for (double kink : new double[] {0.0, -1.0, 0.5}) {
            double[] values = {0.0, -0.0, kink, Math.nextUp(kink), Math.nextDown(kink), Double.MIN_VALUE, -Double.MIN_VALUE,
                    1e300, -1e300, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 3.0, -3.0};
            for (double v : values) {
                for (double v0 : values) {
                    boolean signs = v != v0 && Double.compare(Math.signum(v - kink), Math.signum(v0 - kink)) != 0;
                    assertEquals(signs, GraphFiniteDifferences.sidesDiffer(new double[] {v}, new double[] {v0}, 0, 1, kink),
                            v + " against " + v0 + " at the kink " + kink);
                    crossings += signs ? 1 : 0;
                }
            }
        }
        assertTrue(crossings > 100, "too few crossings to tell anything: " + crossings);
    }

    /** On longer rows too (where the fast sufficient test runs first): one crossing anywhere is seen. */
    @Test
    void oneCrossingInALongRowIsSeen() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(17);
        double[] edges = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY, 1e-200};
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rnd.nextInt(300);
            double[] z0 = new double[n];
            for (int i = 0; i < n; i++) {
                z0[i] = (rnd.nextBoolean() ? 1 : -1) * (1e-3 + rnd.nextDouble());
            }
            double[] z = z0.clone();
            for (int i = 0; i < n; i++) {
                z[i] *= 1 + 1e-9 * rnd.nextDouble();
            }
            assertTrue(!GraphFiniteDifferences.sidesDiffer(z, z0, 0, n, 0.0), "no crossing yet");
            int at = rnd.nextInt(n);
            z[at] = trial % 2 == 0 ? -z0[at] : edges[rnd.nextInt(edges.length)];
            boolean expected = Double.compare(Math.signum(z[at]), Math.signum(z0[at])) != 0;
            assertEquals(expected, GraphFiniteDifferences.sidesDiffer(z, z0, 0, n, 0.0), "z[" + at + "] = " + z[at]);
        }
    }

    /** The comparison can fail: a finite difference of the wrong parameter is refused. */
    @Test
    void aWrongParameterIsRefused() {
        GraphCase c = GraphCases.layers(0, 59).get(0);
        GraphFiniteDifferences fd = new GraphFiniteDifferences(c.network(), c.theta(), c.data());
        GraphFiniteDifference a = fd.estimate(0);
        GraphFiniteDifference b = fd.estimate(1);
        assertTrue(Math.abs(a.value() - b.value()) > a.error() + b.error(), a + " vs " + b);
    }
}
