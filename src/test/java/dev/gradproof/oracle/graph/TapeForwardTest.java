package dev.gradproof.oracle.graph;

import dev.gradproof.network.graph.GraphCase;
import dev.gradproof.network.graph.GraphForward;
import dev.gradproof.network.graph.GraphNetwork;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every catalogue case's exact form, recorded on the tape, computes the reference forward pass bit for
 * bit: every layer's z and a and the loss. The tape is therefore differentiating the very function the
 * reference evaluates, and the two forward passes need no rounding allowance between them.
 */
class TapeForwardTest {

    @TestFactory
    Stream<DynamicTest> tapeForwardIsTheReferenceForwardBitForBit() {
        return GraphCases.all(20261201L).stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> check(c)));
    }

    static void check(GraphCase c) {
        GraphNetwork g = c.network();
        GraphForward f = g.forward(c.theta(), c.data());
        TapeOracle.Recording r = TapeOracle.record(g, c.theta(), c.data());
        for (int k = 0; k < g.nodes().size(); k++) {
            for (int i = 0; i < f.z[k].length; i++) {
                same(c, g.nodes().get(k).name() + " z[" + i + "]", f.z[k][i], r.tape().value(r.z()[k][i]));
                same(c, g.nodes().get(k).name() + " a[" + i + "]", f.a[k][i], r.tape().value(r.a()[k][i]));
            }
        }
        assertEquals(f.loss, TapeOracle.compute(g, c.theta(), c.data()).loss(), 0.0, c + ": loss");
    }

    private static void same(GraphCase c, String what, double reference, double tape) {
        // == rather than bit patterns: 0 + (−0) is +0 on the tape where a loop starting at the value keeps −0.
        if (!(reference == tape)) {
            fail(c + ": " + what + ": reference " + reference + " but tape " + tape);
        }
    }
}
