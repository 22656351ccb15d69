package dev.gradproof.junit;

import static dev.gradproof.junit.GradientAssert.assertThatGradient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradproof.api.Batch;
import dev.gradproof.api.Evaluation;
import dev.gradproof.api.GradientSpec;
import dev.gradproof.api.GraphDescription;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.external.JavaEmbeddingNetwork;
import dev.gradproof.api.Parameters;
import dev.gradproof.api.Tensor;
import dev.gradproof.api.Verdict;
import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.compare.UnderTest;
import dev.gradproof.spec.BundledSpecs;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * A layer graph checked through the public API: an implementation written here by hand (an embedding,
 * flattened, a dense layer, mean squared error) sees the graph's description and its parameters as named
 * tensors; its bugs and conventions get the verdicts a dense chain's would.
 */
class GraphAssertTest {
    static final GradientSpec SPEC = Specs.load("specs/layers/embedding-repeats.yaml");

    @Test
    void aHandWrittenGraphImplementationPasses() {
        assertThatGradient(new JavaEmbeddingNetwork(false, 1)).agreesWith(SPEC);
    }

    @Test
    void assigningARepeatedEmbeddingRowsGradientIsCaughtInTheEmbedding() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> assertThatGradient(new JavaEmbeddingNetwork(true, 1)).agreesWith(SPEC));
        assertTrue(e.getMessage().contains("parameter-trials mismatch, in layer 1 (embed: embedding)"), e.getMessage());
        assertTrue(e.getExpected().getStringRepresentation().startsWith("embed.weight["), e::getMessage);
    }

    @Test
    void aLossTwiceTheSpecsWithItsOwnGradientIsAConventionNotABug() {
        SpecResult r = SpecChecker.run(BundledSpecs.load("specs/layers/embedding-repeats.yaml"),
                UnderTest.of(new JavaEmbeddingNetwork(false, 2)), SpecChecker.Progress.NONE);
        assertEquals(Verdict.FORWARD_DIFFERS, r.verdict(), () -> r.findings() + " " + r.error());
        assertTrue(r.findings().stream().anyMatch(f -> f.startsWith("loss: its loss is") && f.contains("ratio 2")),
                r.findings()::toString);
        assertEquals(List.of(), r.consistency().stream().flatMap(c -> c.ownDisagreeing().stream()).toList());
    }
}
