package dev.gradproof.junit;

import dev.gradproof.api.Batch;
import dev.gradproof.api.Evaluation;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.api.Parameters;
import dev.gradproof.spec.BundledSpecs;
import dev.gradproof.network.TrialRecipe;
import dev.gradproof.spec.Spec;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import static dev.gradproof.junit.GradientAssert.assertThatGradient;
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
