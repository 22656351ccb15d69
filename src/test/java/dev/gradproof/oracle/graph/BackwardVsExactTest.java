package dev.gradproof.oracle.graph;

import dev.gradproof.expr.Expression;
import dev.gradproof.expr.ExpressionException;
import dev.gradproof.network.Activation;
import dev.gradproof.network.NetworkFactory;
import dev.gradproof.network.graph.Catalogue;
import dev.gradproof.network.graph.GraphCase;
import dev.gradproof.network.graph.Sample;
import dev.gradproof.spec.ActivationSpec;
import dev.gradproof.spec.layers.RecurrentOptions;
import dev.gradproof.spec.layers.Shape;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
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

    @Provide
    Arbitrary<Catalogue.LossCase> losses() {
        return Arbitraries.of(Catalogue.losses());
    }

    @Property(tries = 200)
    void everyLossAgreesOnRandomSeeds(@ForAll("losses") Catalogue.LossCase loss, @ForAll long seed) {
        GraphCase c = GraphCases.draw(loss.name(), loss.sample(), loss.options(), seed);
        List<String> bad = GraphVerdicts.compare(c).mismatches();
        assertTrue(bad.isEmpty(), () -> String.join("\n", bad));
    }

    /** Finite differences agree with the exact gradient wherever they crossed no kink: never an inconclusive one. */
    @Property(tries = 150)
    void finiteDifferencesAgreeOnRandomShapes(@ForAll("entries") Catalogue.Entry entry, @ForAll long seed) {
        GraphCase c = GraphCases.layer(entry, seed);
        List<String> bad = GraphVerdicts.finiteDifferenceDisagreements(GraphVerdicts.compare(c));
        assertTrue(bad.isEmpty(), () -> String.join("\n", bad));
    }

    /**
     * Declared-derivative bugs stay expressible on any layer: the tutorial's tanh' = 1 − tanh·tan after a
     * convolution, an LSTM's dense head or an attention block is a mismatch; the correct expression is not.
     */
    @Test
    void aDeclaredDerivativeBugIsCaughtAfterAnyLayer() throws ExpressionException {
        for (String derivative : List.of("1 - tanh(x) * tan(x)", "1 - tanh(x)^2")) {
            Activation tanh = NetworkFactory.activation(new ActivationSpec("tanh", 0.01, 1.0, null,
                    Expression.parse(derivative), null, derivative));
            List<Sample> samples = List.of(
                    Sample.of("conv2d", Shape.channels(1, 4, 4), 2, b -> b.conv2d(null, 2, 3, 1, 1).activation(tanh)),
                    Sample.of("lstm", Shape.sequence(3, 2), 2, b -> b.recurrent(null, RecurrentOptions.Cell.LSTM, 3, true)
                            .dense(null, 2).activation(tanh)),
                    Sample.of("attention", Shape.sequence(3, 4), 2, b -> b.attention(null, 2, true).activation(tanh)
                            .dense(null, 2)));
            for (Sample s : samples) {
                GraphCase c = GraphCases.draw(s.name() + " with tanh' = " + derivative, s, GraphCases.SQUARED, 3);
                List<String> bad = GraphVerdicts.compare(c).mismatches();
                if (derivative.contains("tan(x)")) {
                    assertTrue(!bad.isEmpty(), c + ": the wrong derivative was not caught");
                } else {
                    assertEquals(List.of(), bad);
                }
            }
        }
    }
}
