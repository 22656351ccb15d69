package dev.gradproof.junit;

import dev.gradproof.api.Batch;
import dev.gradproof.api.Evaluation;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.api.Oracle;
import dev.gradproof.api.Parameters;
import dev.gradproof.spec.BundledSpecs;
import dev.gradproof.network.TrialRecipe;
import dev.gradproof.spec.Spec;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import static dev.gradproof.junit.GradientAssert.assertThatGradient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.gradproof.examples.HandWrittenBackpropTestAccess;

class GradientAssertTest {
    static final Spec SPEC = BundledSpecs.load("specs/tanh-tutorial-fixed.yaml");

    /** Wraps the example network and scales one layer's bias gradient: a bug of a known place and size. */
    static NetworkUnderTest biasBug(int layer, double factor) {
        NetworkUnderTest good = new HandWrittenBackpropTestAccess().network();
        return new NetworkUnderTest() {
            public Evaluation evaluate(NetworkDescription n, Parameters p, Batch b) {
                Evaluation e = good.evaluate(n, p, b);
                double[] g = e.gradient().biases(layer);
                for (int i = 0; i < g.length; i++) {
                    g[i] *= factor;
                }
                return e;
            }

            public String name() {
                return "BiasBug";
            }
        };
    }

    @Test
    void correctNetworkPassesEveryTrialOfTheSpec() {
        assertThatGradient(new HandWrittenBackpropTestAccess().network()).agreesWith(SPEC);
    }

    @Test
    void aBugOfOnePartInAMillionInOneLayersBiasesIsCaughtAndLocated() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> assertThatGradient(biasBug(2, 1 + 1e-6)).agreesWith(SPEC));
        String expectedHead = "Expecting the gradient of <BiasBug> to agree with the exact gradient\n"
                + "  spec:  tanh-tutorial-fixed (specs/tanh-tutorial-fixed.yaml)\n"
                + "  seed:  7, 3 trials\n"
                + "but ";
        assertTrue(e.getMessage().startsWith(expectedHead), e.getMessage());
        assertTrue(e.getMessage().contains("parameter-trials mismatch, in layer 2 (tanh with declared f'(x) = 1 - tanh(x)^2):\n"),
                e.getMessage());
    }

    @Test
    void theFailureCarriesExpectedAndActualGradientsForAnIdesDiff() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> assertThatGradient(biasBug(2, 2)).withTrials(1).agreesWith(SPEC));
        assertTrue(e.isExpectedDefined() && e.isActualDefined());
        String expected = e.getExpected().getStringRepresentation();
        String actual = e.getActual().getStringRepresentation();
        assertTrue(expected.startsWith("b2[0] (trial 0): "), expected);
        assertEquals(expected.lines().count(), actual.lines().count());
        assertEquals(expected.lines().map(l -> l.substring(0, l.indexOf(':'))).toList(),
                actual.lines().map(l -> l.substring(0, l.indexOf(':'))).toList(), "the same parameters, line by line");
        double exact = Double.parseDouble(expected.lines().findFirst().orElseThrow().split(": ")[1]);
        double analytic = Double.parseDouble(actual.lines().findFirst().orElseThrow().split(": ")[1]);
        assertEquals(2 * exact, analytic, 1e-12 * Math.abs(analytic));
    }

    @Test
    void optionsNarrowWhatIsCheckedAndLeaveTheOriginalAssertionAlone() {
        NetworkUnderTest layer2Bug = biasBug(2, 1 + 1e-6);
        GradientAssert base = assertThatGradient(layer2Bug);
        base.onlyLayers(1).agreesWith(SPEC);   // the bug is in layer 2
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> base.onlyLayers(2).agreesWith(SPEC));
        assertTrue(e.getMessage().contains("in layer 2"), e.getMessage());
        assertThrows(AssertionFailedError.class, () -> base.agreesWith(SPEC), "onlyLayers returned a new assertion");
        assertThrows(AssertionFailedError.class, () -> base.inDirectionalMode(8).agreesWith(SPEC));
        NetworkUnderTest good = new dev.gradproof.examples.HandWrittenBackpropTestAccess().network();
        assertThatGradient(good).usingOracles(Oracle.FINITE_DIFFERENCE).withTrials(1).agreesWith(SPEC);
        assertThatGradient(good).withTolerance(1e-9).agreesWith(SPEC);
    }

    @Test
    void optionsThatCouldNotWorkAreRefusedWithTheirReason() {
        NetworkUnderTest good = new dev.gradproof.examples.HandWrittenBackpropTestAccess().network();
        assertEquals("withTolerance: a relative tolerance must be above 0 and below 1 (one of 1 or more cannot fail), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> assertThatGradient(good).withTolerance(1)).getMessage());
        assertEquals("onlyLayers: layers are numbered from 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> assertThatGradient(good).onlyLayers(0)).getMessage());
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> assertThatGradient(good).onlyLayers(7).agreesWith(SPEC));
        assertTrue(e.getMessage().contains("but the check could not run: no trainable parameter to check"), e.getMessage());
    }

    @Test
    void oneTrialFailureNamesItsRecipe() {
        var trial = TrialRecipe.full(SPEC, 0).materialize(SPEC);
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> assertThatGradient(biasBug(1, -1)).agreesWith(trial));
        assertTrue(e.getMessage().contains("\n  trial: " + trial.recipe() + "\n"), e.getMessage());
    }

    @Test
    void anImplementationThatThrowsIsReportedNotPropagated() {
        NetworkUnderTest broken = new NetworkUnderTest() {
            public Evaluation evaluate(NetworkDescription n, Parameters p, Batch b) {
                throw new IllegalStateException("out of coffee");
            }

            public String name() {
                return "Broken";
            }
        };
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> assertThatGradient(broken).agreesWith(SPEC));
        assertTrue(e.getMessage().endsWith("but the check could not run: Broken threw IllegalStateException: out of coffee\n"),
                e.getMessage());
    }
}
