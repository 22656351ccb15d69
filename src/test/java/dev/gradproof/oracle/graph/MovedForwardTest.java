package dev.gradproof.oracle.graph;

import dev.gradproof.network.graph.Batch;
import dev.gradproof.network.graph.GraphCase;
import dev.gradproof.network.graph.GraphForward;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A layer's pass after one of its parameters moved (what a finite difference runs: cached input parts, the
 * unmoved W_hh columns, one unit or channel recomputed) gives the perturbed layer's output bit for bit as a
 * full forward pass of the moved parameters does. The finite differences may then skip the unmoved work
 * without their numbers depending on it.
 */
class MovedForwardTest {

    @TestFactory
    Stream<DynamicTest> movedPassIsTheFullPassBitForBit() {
        return GraphCases.all(20261206L).stream().map(c -> DynamicTest.dynamicTest(c.toString(),
                () -> assertEquals(List.of(), differences(c, 1e-3))));
    }

    /**
     * A layer downstream of a moved parameter, its own parameters unmoved, reuses what the unmoved pass saved
     * (a dense layer's W by columns) and still gives the full pass's output bit for bit.
     */
    @TestFactory
    Stream<DynamicTest> ownUnmovedPassIsTheFullPassBitForBit() {
        return GraphCases.all(20261207L).stream().map(c -> DynamicTest.dynamicTest(c.toString(),
                () -> assertEquals(List.of(), downstreamDifferences(c, 1e-3))));
    }

    static List<String> downstreamDifferences(GraphCase c, double move) {
        GraphNetwork g = c.network();
        GraphForward f = g.forward(c.theta(), c.data());
        List<String> out = new ArrayList<>();
        int n = c.data().examples();
        for (int k = 0; k < g.nodes().size() && out.isEmpty(); k++) {
            int p = g.nodes().get(k).offset();
            if (p >= c.theta().length || g.layout().tensorOf(p).layer() - 1 != k) {
                continue; // the node has no parameters of its own
            }
            double[] theta = c.theta().clone();
            theta[p] += move * (1 + Math.abs(theta[p]));
            GraphForward full = g.forward(theta, c.data());
            for (int j = k + 1; j < g.nodes().size(); j++) {
                double[] z = f.z[j].clone();
                double[] a = f.a[j] == f.z[j] ? z : f.a[j].clone();
                g.forwardNodeOwnUnmoved(j, theta, g.inputs(j, c.data().x(), full.a), z, a, f.saved[j],
                        new Batch(n, null, c.data().seed(), j + 1));
                out.addAll(compare(c, g.nodes().get(j), z, full.z[j], g.layout().name(p) + " upstream"));
            }
        }
        return out;
    }

    /** The comparison can fail: with the parameter moved by different amounts the outputs differ. */
    @Test
    void aDifferentMoveIsSeen() {
        GraphCase c = GraphCases.layers(0, 59).get(0);
        GraphNetwork g = c.network();
        GraphForward f = g.forward(c.theta(), c.data());
        double[] moved = c.theta().clone();
        moved[0] += 1e-3;
        double[] z = moved(g, c, f, 0, moved);
        double[] other = c.theta().clone();
        other[0] += 2e-3;
        assertNotEquals(List.of(), compare(c, g.nodes().get(0), z, g.forward(other, c.data()).z[0], "p0"));
    }

    static List<String> differences(GraphCase c, double move) {
        GraphNetwork g = c.network();
        GraphForward f = g.forward(c.theta(), c.data());
        List<String> out = new ArrayList<>();
        for (int p = 0; p < c.theta().length && out.size() < 5; p++) {
            double[] theta = c.theta().clone();
            theta[p] += move * (1 + Math.abs(theta[p]));
            int k = g.layout().tensorOf(p).layer() - 1;
            double[] z = moved(g, c, f, p, theta);
            out.addAll(compare(c, g.nodes().get(k), z, g.forward(theta, c.data()).z[k], g.layout().name(p)));
        }
        return out;
    }

    /** The perturbed node's z from its moved pass, on a copy of the unmoved z. */
    private static double[] moved(GraphNetwork g, GraphCase c, GraphForward f, int p, double[] theta) {
        int k = g.layout().tensorOf(p).layer() - 1;
        GraphNode node = g.nodes().get(k);
        int local = p - node.offset();
        double[][] x = g.inputs(k, c.data().x(), f.a);
        int n = c.data().examples();
        int[] rows = node.layer().examplesReached(local, x, n);
        double[] z = f.z[k].clone();
        double[] a = f.a[k] == f.z[k] ? z : f.a[k].clone();
        g.forwardNodeMoved(k, local, theta, x, z, a, f.saved[k], new Batch(n, rows, c.data().seed(), k + 1));
        return z;
    }

    private static List<String> compare(GraphCase c, GraphNode node, double[] moved, double[] full, String p) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < full.length; i++) {
            // == rather than bit patterns, as in TapeForwardTest: a sum may start at +0 where another keeps −0.
            if (!(moved[i] == full[i])) {
                out.add(c + ": " + p + " moved: " + node.name() + " z[" + i + "] " + moved[i] + " but full pass "
                        + full[i]);
                break;
            }
        }
        return out;
    }
}
