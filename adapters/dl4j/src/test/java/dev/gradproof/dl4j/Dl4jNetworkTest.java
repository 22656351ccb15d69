package dev.gradproof.dl4j;

import dev.gradproof.junit.Specs;
import dev.gradproof.compare.ParameterResult;
import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.compare.UnderTest;
import dev.gradproof.api.Verdict;
import dev.gradproof.spec.Spec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static dev.gradproof.junit.GradientAssert.assertThatGradient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DL4J in this JVM (not through the launcher) on specs of adapters/dl4j/specs, with the verdicts
 * observed there (docs/DL4J.md).
 */
class Dl4jNetworkTest {

    private static Spec spec(String name) {
        Path root = Path.of(System.getProperty("gradproof.root", "../.."));
        return (Spec) Specs.load(root.resolve("adapters/dl4j/specs").resolve(name + ".yaml").toString());
    }

    private static SpecResult check(String name) {
        return SpecChecker.run(spec(name), UnderTest.of(new Dl4jNetwork()), SpecChecker.Progress.NONE);
    }

    @Test
    void binaryCrossEntropySummedAgreesWithTheExactGradient() {
        // XENT on a sigmoid output, miniBatch(false): DL4J's loss and gradient are the spec's.
        assertThatGradient(new Dl4jNetwork()).agreesWith(spec("csv-data"));
    }

    @Test
    void squaredErrorIsDl4jsL2WithoutTheHalf() {
        SpecResult r = check("sigmoid-2-2-1");
        assertEquals(Verdict.FORWARD_DIFFERS, r.verdict(), () -> String.join("\n", r.findings()));
        assertFalse(r.mismatches().isEmpty());
        for (ParameterResult p : r.mismatches()) {
            assertEquals(2.0, p.analytic() / p.reference(), 1e-9, p.parameter());
        }
        assertTrue(r.findings().stream().anyMatch(f -> f.startsWith("convention")), () -> String.join("\n", r.findings()));
    }

    @Test
    void underMeanTheGradientIsSummedOverTheBatch() {
        // miniBatch(true): score averaged over N = 50, gradient summed (DL4J's updater divides later).
        SpecResult r = check("linear-regression");
        assertEquals(Verdict.MISMATCH, r.verdict(), () -> String.join("\n", r.findings()));
        assertEquals(6, r.mismatches().size());
        for (ParameterResult p : r.mismatches()) {
            assertEquals(50.0, p.analytic() / p.reference(), 1e-9, p.parameter());
        }
    }

    @Test
    void customActivationsAreRefused() {
        SpecResult r = check("custom-softsign");
        assertEquals(Verdict.ERROR, r.verdict());
        assertTrue(r.error().contains("DL4J adapter: custom activations are not supported"), r.error());
    }

    @Test
    void miniBatchPropertyIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> Dl4jNetwork.parseMiniBatch("sometimes"));
        assertEquals(Boolean.FALSE, Dl4jNetwork.parseMiniBatch("false"));
        assertEquals(null, Dl4jNetwork.parseMiniBatch("auto"));
    }
}
