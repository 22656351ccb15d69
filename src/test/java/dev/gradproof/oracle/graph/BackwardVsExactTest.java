package dev.gradproof.oracle.graph;

import dev.gradproof.network.graph.Catalogue;
import dev.gradproof.network.graph.GraphCase;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written backward pass of every layer type, loss and activation agrees with the tape oracle
 * within the derived tolerance (tol_p = 2γ_K(M + E) + E + A, compare.ToleranceModel), on the
 * catalogue's samples and on random shapes, options and seeds; and the finite differences agree with
 * the exact gradient within their error bound wherever no kink or tie was crossed.
 */
class BackwardVsExactTest {

    @TestFactory
    Stream<DynamicTest> everySampleAgreesWithTheExactGradient() {
        return GraphCases.all(7).stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            GraphVerdicts.Compared cmp = GraphVerdicts.compare(c);
            List<String> bad = cmp.mismatches();
            assertTrue(bad.isEmpty(), () -> String.join("\n", bad));
        }));
    }

    @TestFactory
    Stream<DynamicTest> finiteDifferencesAgreeWithTheExactGradient() {
        return GraphCases.all(11).stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            List<String> bad = GraphVerdicts.finiteDifferenceDisagreements(GraphVerdicts.compare(c));
            assertEquals(List.of(), bad);
        }));
    }

    @Provide
    Arbitrary<Catalogue.Entry> entries() {
        return Arbitraries.of(Catalogue.layers());
    }

    @Property(tries = 400)
    void randomShapesOptionsAndSeedsAgree(@ForAll("entries") Catalogue.Entry entry, @ForAll long seed) {
        GraphCase c = GraphCases.layer(entry, seed);
        List<String> bad = GraphVerdicts.compare(c).mismatches();
        assertTrue(bad.isEmpty(), () -> String.join("\n", bad));
    }
}
