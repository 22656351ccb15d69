package dev.gradproof.oracle.graph;

import dev.gradproof.network.Activation;
import dev.gradproof.network.Activations;
import dev.gradproof.network.graph.GraphCase;
import dev.gradproof.network.graph.GraphData;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.Sample;
import dev.gradproof.network.graph.SampleData;
import dev.gradproof.spec.layers.LossOptions;
import dev.gradproof.spec.layers.Shape;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kinks and ties generated on purpose never give a false alarm: the derivative there is a convention,
 * the exact oracle allows for the other convention (A_p), and a finite difference whose stencil crosses
 * a kink or tie is flagged unreliable instead of disagreeing. Conventions (PyTorch's): relu'(0) = 0,
 * sign(0) = 0 for L1, hinge'(0) = 0, max-pool ties to the first maximum in row-major window order.
 */
class KinkAndTieTest {

    /** Integer weights, zero biases, integer inputs: many pre-activations are exactly 0. */
    private static final Sample.ThetaFix INTEGER_WEIGHTS = (layout, theta) -> {
        for (int p = 0; p < theta.length; p++) {
            theta[p] = layout.isBias(p) ? 0 : Math.rint(2 * theta[p]);
        }
    };

    static List<GraphCase> kinked(long seed) {
        List<GraphCase> out = new ArrayList<>();
        for (Activation a : List.of(Activations.relu(), Activations.leakyRelu(0.2), Activations.elu(0.5),
                flipped(Activations.relu()), flipped(Activations.leakyRelu(0.2)), flipped(Activations.elu(0.5)))) {
            Sample s = Sample.of(a.name() + " at exactly 0", Shape.features(3), 6,
                    b -> b.dense(null, 5).activation(a).dense(null, 3).activation(a).dense(null, 2))
                    .withInputs(SampleData::coarse).withTheta(INTEGER_WEIGHTS);
            out.add(GraphCases.draw(s.name(), s, GraphCases.SQUARED, seed++));
        }
        return out;
    }

    /** The same function with the other one-sided derivative at its kink: a correct implementation too. */
    static Activation flipped(Activation f) {
        return new Activation() {
            public String name() { return f.name() + " (right derivative at 0)"; }
            public double value(double x) { return f.value(x); }
            public double derivative(double x) { return x == 0 ? f.derivative(Math.ulp(0.0)) : f.derivative(x); }
            public DerivativeStructure value(DerivativeStructure x) { return f.value(x); }
            public double declaredDerivativeError(double x) { return f.declaredDerivativeError(x); }
            public double exactDerivativeError(double x) { return f.exactDerivativeError(x); }
            public double[] kinks() { return f.kinks(); }
            public double derivativeJump(double kink) { return f.derivativeJump(kink); }
        };
    }

    @TestFactory
    Stream<DynamicTest> kinkedActivationsAtExactlyZeroGiveNoFalseAlarm() {
        return kinked(5).stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> noFalseAlarm(c)));
    }

    static void noFalseAlarm(GraphCase c) {
        GraphVerdicts.Compared cmp = GraphVerdicts.compare(c);
        assertTrue(cmp.exact().kinks() + cmp.exact().ties() > 0, c + ": no kink or tie was hit; the case tests nothing");
        assertEquals(List.of(), cmp.mismatches());
        assertEquals(List.of(), GraphVerdicts.finiteDifferenceDisagreements(cmp));
        GraphFiniteDifferences fd = new GraphFiniteDifferences(c.network(), c.theta(), c.data(), cmp.exact().lossRounding());
        boolean flagged = false;
        for (int p = 0; p < c.theta().length && !flagged; p++) {
            flagged = fd.estimate(p).kinkCrossed();
        }
        assertTrue(flagged, c + ": no finite difference noticed the kink it straddles");
    }

    /**
     * Every catalogue sample that puts a unit at a kink or a max-pool window on a tie (max-pool over tied
     * maxima and over a constant region, ReLU at exactly 0 after dense and conv layers, batch norm, ...)
     * gives no false alarm; there must be several, or this tests nothing.
     */
    @TestFactory
    Stream<DynamicTest> catalogueSamplesWithKinksAndTiesGiveNoFalseAlarm() {
        List<GraphCase> hit = new ArrayList<>();
        for (GraphCase c : GraphCases.layers(0, 41)) {
            GraphExactGradient e = TapeOracle.compute(c.network(), c.theta(), c.data());
            if (e.kinks() + e.ties() > 0) {
                hit.add(c);
            }
        }
        assertTrue(hit.size() >= 4, "only " + hit.size() + " samples hit a kink or tie");
        return hit.stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            GraphVerdicts.Compared cmp = GraphVerdicts.compare(c);
            assertEquals(List.of(), cmp.mismatches());
            assertEquals(List.of(), GraphVerdicts.finiteDifferenceDisagreements(cmp));
        }));
    }

    /** A sample whose name promises a kink or a tie (at exactly 0, tied, constant) has one. */
    @Test
    void samplesThatPromiseAKinkOrATieHaveOne() {
        int promised = 0;
        for (GraphCase c : GraphCases.layers(0, 47)) {
            String n = c.name();
            if (n.contains("exactly 0") || n.contains("tied") || n.contains("constant")) {
                promised++;
                GraphExactGradient e = TapeOracle.compute(c.network(), c.theta(), c.data());
                assertTrue(e.kinks() + e.ties() > 0, c + " has no kink or tie");
            }
        }
        assertTrue(promised >= 5, "only " + promised + " samples promise a kink or tie");
    }

    @Test
    void maxPoolTiesAreFoundAndTheirFiniteDifferencesFlagged() {
        GraphCase c = GraphCases.layers(0, 43).stream().filter(g -> g.name().contains("tied maxima")).findFirst()
                .orElseThrow();
        assertTrue(TapeOracle.compute(c.network(), c.theta(), c.data()).ties() > 0, "no tie in " + c);
        noFalseAlarm(c);
    }

    /** The flipped convention really differs from the reference's here: the allowance is what keeps it green. */
    @Test
    void theOtherConventionChangesTheGradientAndIsAllowedFor() {
        GraphCase c = kinked(5).get(3);
        GraphVerdicts.Compared cmp = GraphVerdicts.compare(c);
        double largest = 0;
        for (int p = 0; p < cmp.analytic().length; p++) {
            largest = Math.max(largest, Math.abs(cmp.analytic()[p] - cmp.exact().value()[p]));
        }
        assertTrue(largest > 1e-3, "the flipped convention changed nothing: " + largest);
        assertEquals(List.of(), cmp.mismatches());
    }

    @Test
    void l1AtZeroHingeAtItsMarginAndHuberAtDelta() {
        for (LossOptions loss : List.of(LossOptions.of(LossOptions.Kind.L1), LossOptions.of(LossOptions.Kind.HINGE),
                LossOptions.huber(1.0))) {
            GraphNetwork g = GraphNetwork.builder().input(3).dense("id", 3).loss(loss).build();
            double[] theta = {1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0};
            // One-hot inputs make the outputs equal the targets (L1 at 0), the margins 1 − 1 + 0 = 0 (hinge),
            // and for Huber, inputs 2 against targets 1 put |a − y| at exactly δ = 1.
            double[] x = loss.kind() == LossOptions.Kind.HUBER ? new double[] {2, 1, 0, 0, 2, 1} : new double[] {1, 0, 0, 0, 1, 0};
            double[] y = loss.kind() == LossOptions.Kind.HUBER ? new double[] {1, 1, 0, 0, 1, 1} : new double[] {1, 0, 0, 0, 1, 0};
            GraphCase c = new GraphCase(loss.kind().yamlName() + " at its kink", g, theta, new GraphData(2, x, y, 1));
            noFalseAlarm(c);
        }
    }
}
