package dev.gradproof.mutants.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradproof.api.Verdict;
import dev.gradproof.compare.GraphSpecChecker;
import dev.gradproof.compare.GraphTrialCheck;
import dev.gradproof.compare.Shard;
import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.spec.BundledSpecs;
import dev.gradproof.spec.Spec;

import org.junit.jupiter.api.Test;

/** A named finding fires on its mutant and stays silent on the correct network and on another bug. */
class GraphFindingsTest {
    static final Spec ATTENTION = BundledSpecs.load("specs/layers/attention-bidirectional.yaml");
    static final String SQRT_D = "attn.in_proj_weight: the query and key rows (0..11) are off by a factor 1.41421 ="
            + " sqrt(d) (head width d = 2) at all ";

    static SpecResult run(Spec spec, GraphTrialCheck.Analytic gradient) {
        return GraphSpecChecker.run(spec, gradient, SpecChecker.Progress.NONE, Shard.ALL);
    }

    @Test
    void aForgottenOneOverSqrtDIsNamed() {
        SpecResult r = run(ATTENTION, GraphMutants.byName("attention-no-scale").implementation());
        assertEquals(Verdict.MISMATCH, r.verdict());
        assertTrue(r.findings().stream().anyMatch(f -> f.startsWith(SQRT_D) && f.endsWith(" mismatching entries, the"
                + " value rows agree: the backward pass of the scores q.k/sqrt(d) forgot the 1/sqrt(d)?")),
                () -> String.join("\n", r.findings()));
    }

    @Test
    void theCorrectNetworkAndAnotherBugGetNoSuchFinding() {
        SpecResult reference = run(ATTENTION, GraphTrialCheck.Analytic.REFERENCE);
        assertEquals(Verdict.PASS, reference.verdict());
        assertTrue(reference.findings().isEmpty(), () -> String.join("\n", reference.findings()));
        Spec transformer = BundledSpecs.load("specs/architectures/transformer-block.yaml");
        SpecResult other = run(transformer.withCheck(transformer.check().withOracles(java.util.Set.of("exact"))),
                GraphMutants.byName("residual-skip-dropped").implementation());
        assertEquals(Verdict.MISMATCH, other.verdict());
        assertTrue(other.findings().stream().noneMatch(f -> f.contains("sqrt(d)")), () -> String.join("\n",
                other.findings()));
    }

    static final Spec TRANSFORMER = exactOnly(BundledSpecs.load("specs/architectures/transformer-block.yaml"));
    static final String ASSIGNED = "embed.weight: the mismatching rows (14: 0, 2, 3, 4, 8, 9, 11, 12, ...) are all ids"
            + " used more than once in their batch, and the rows of ids used once agree: a repeated id's gradient"
            + " assigned instead of accumulated?";

    static Spec exactOnly(Spec s) {
        return s.withCheck(s.check().withOracles(java.util.Set.of("exact")));
    }

    @Test
    void anAssignedEmbeddingRowIsNamedFromTheRowsThatRepeat() {
        SpecResult r = run(TRANSFORMER, GraphMutants.byName("embedding-assigned").implementation());
        assertEquals(Verdict.MISMATCH, r.verdict());
        assertTrue(r.findings().contains(ASSIGNED), () -> String.join("\n", r.findings()));
    }

    @Test
    void theEmbeddingFindingIsSilentOnTheCorrectNetworkAndWhenRowsUsedOnceMismatchToo() {
        SpecResult reference = run(TRANSFORMER, GraphTrialCheck.Analytic.REFERENCE);
        assertEquals(Verdict.PASS, reference.verdict());
        assertTrue(reference.findings().isEmpty(), () -> String.join("\n", reference.findings()));
        // A forgotten 1/sqrt(d) corrupts every used row, those used once included: not an assignment.
        SpecResult other = run(TRANSFORMER, GraphMutants.byName("attention-no-scale").implementation());
        assertEquals(Verdict.MISMATCH, other.verdict());
        assertTrue(other.findings().stream().noneMatch(f -> f.startsWith("embed.weight")), () -> String.join("\n",
                other.findings()));
        assertTrue(other.findings().stream().anyMatch(f -> f.startsWith("attn.in_proj_weight: the query and key rows"
                + " (0..63) are off by a factor 4.00000 = sqrt(d) (head width d = 16) at all 2048 mismatching entries")),
                () -> String.join("\n", other.findings()));
    }

    static final Spec BATCH_NORM = BundledSpecs.load("specs/layers/batch-norm-conv.yaml");
    static final String PER_CHANNEL = "conv1.weight: the mismatching entries are off by a constant factor per output"
            + " channel, a different one in each (";

    @Test
    void aForgottenGammaIsNamedAsAFactorPerChannel() {
        SpecResult r = run(BATCH_NORM, GraphMutants.byName("batch-norm-gamma-forgotten").implementation());
        assertEquals(Verdict.MISMATCH, r.verdict());
        assertTrue(r.findings().contains(PER_CHANNEL + "channel 0: x1.58453, channel 1: x1.26827, channel 2: x0.624355;"
                + " spread below 1e-06 within each): the input gradient of the batch norm it feeds (bn1) scaled per"
                + " channel, its gamma forgotten?"), () -> String.join("\n", r.findings()));
    }

    @Test
    void theFactorPerChannelIsSilentOnTheCorrectNetworkAndOnOtherBatchNormBugs() {
        SpecResult reference = run(BATCH_NORM, GraphTrialCheck.Analytic.REFERENCE);
        assertEquals(Verdict.PASS, reference.verdict());
        assertTrue(reference.findings().isEmpty(), () -> String.join("\n", reference.findings()));
        for (String other : java.util.List.of("batch-norm-constant-statistics", "batch-norm-unbiased-variance")) {
            SpecResult r = run(BATCH_NORM, GraphMutants.byName(other).implementation());
            assertEquals(Verdict.MISMATCH, r.verdict(), other);
            assertTrue(r.findings().stream().noneMatch(f -> f.startsWith(PER_CHANNEL)), () -> other + ":\n"
                    + String.join("\n", r.findings()));
        }
    }

    static final Spec LENET = exactOnly(BundledSpecs.load("specs/architectures/lenet5.yaml"));
    static final String MIRRORED = "degrees (w[kh-1-ky, kw-1-kx] read for w[ky, kx]), while its own weights agree: the"
            + " textbook's kernel flip applied to a cross-correlation?";

    @Test
    void aFlippedKernelIsNamedByTheGradientItsInputGradientWouldGive() {
        SpecResult r = run(LENET, GraphMutants.byName("conv-input-no-flip").implementation());
        assertEquals(Verdict.MISMATCH, r.verdict());
        assertTrue(r.findings().contains("conv2: every compared gradient of the 1 trial with a mismatch (44426 entries)"
                + " equals, to rounding, that of an input gradient of conv2 computed with its kernel rotated by 180 "
                + MIRRORED), () -> String.join("\n", r.findings()));
    }

    @Test
    void theFlippedKernelFindingIsSilentOnTheCorrectNetworkAndOnABugBelowTheConvolution() {
        SpecResult reference = run(LENET, GraphTrialCheck.Analytic.REFERENCE);
        assertEquals(Verdict.PASS, reference.verdict());
        assertTrue(reference.findings().isEmpty(), () -> String.join("\n", reference.findings()));
        // Every mismatch of a wrong max-pool backward lies below conv2 too, but is not a mirrored kernel's.
        SpecResult other = run(LENET, GraphMutants.byName("max-pool-to-first-cell").implementation());
        assertEquals(Verdict.MISMATCH, other.verdict());
        assertTrue(other.findings().stream().noneMatch(f -> f.endsWith(MIRRORED)), () -> String.join("\n",
                other.findings()));
    }

    static final String TRUNCATED = "'s state gradient not carried to the step before (what each step receives from the"
            + " later ones exactly 0): backpropagation through time truncated to one step by accident?";

    @Test
    void backpropagationThroughTimeTruncatedToOneStepIsNamed() {
        for (String spec : java.util.List.of("char-lstm", "gru-huber")) {
            Spec s = exactOnly(BundledSpecs.load("specs/architectures/" + spec + ".yaml"));
            SpecResult r = run(s, GraphMutants.byName("truncated-bptt").implementation());
            assertEquals(Verdict.MISMATCH, r.verdict(), spec);
            assertTrue(r.findings().stream().anyMatch(f -> f.matches("\\w+: every compared gradient of the \\d+ trials?"
                    + " with a mismatch \\(\\d+ entries\\) equals, to rounding, that of the same network with \\w+"
                    + java.util.regex.Pattern.quote(TRUNCATED))), () -> spec + ":\n" + String.join("\n", r.findings()));
        }
    }

    @Test
    void theTruncationFindingIsSilentOnTheCorrectNetworkAndOnAGateBug() {
        Spec lstm = exactOnly(BundledSpecs.load("specs/architectures/char-lstm.yaml"));
        SpecResult reference = run(lstm, GraphTrialCheck.Analytic.REFERENCE);
        assertEquals(Verdict.PASS, reference.verdict());
        assertTrue(reference.findings().isEmpty(), () -> String.join("\n", reference.findings()));
        // Its mismatches lie in the cell and below it too, but the carried gradient is wrong, not missing.
        for (String other : java.util.List.of("lstm-forget-tanh-derivative", "lstm-cell-no-forget-product")) {
            SpecResult r = run(lstm, GraphMutants.byName(other).implementation());
            assertEquals(Verdict.MISMATCH, r.verdict(), other);
            assertTrue(r.findings().stream().noneMatch(f -> f.endsWith(TRUNCATED)), () -> other + ":\n"
                    + String.join("\n", r.findings()));
        }
    }

    static final String REVERSED = "the gradient through the update gate z carries the wrong sign (its local"
            + " derivative negated, or a gate and its complement 1 - gate swapped)?";

    @Test
    void aGateWhoseGradientHasTheWrongSignIsNamed() {
        Spec gru = exactOnly(BundledSpecs.load("specs/architectures/gru-huber.yaml"));
        SpecResult r = run(gru, GraphMutants.byName("gru-update-gate-flipped").implementation());
        assertEquals(Verdict.MISMATCH, r.verdict());
        assertTrue(r.findings().contains("gru1: the update gate z's rows (16..31 of weight_ih, weight_hh, bias_ih,"
                + " bias_hh) point the opposite way to the exact gradient at 620 of 704 mismatching entries (88%), the"
                + " other gates' at most 13%: " + REVERSED), () -> String.join("\n", r.findings()));
    }

    @Test
    void theReversedGateFindingIsSilentOnTheCorrectCellsAndOnBugsThatReachEveryGate() {
        for (String spec : java.util.List.of("gru-huber", "char-lstm")) {
            Spec s = exactOnly(BundledSpecs.load("specs/architectures/" + spec + ".yaml"));
            SpecResult reference = run(s, GraphTrialCheck.Analytic.REFERENCE);
            assertEquals(Verdict.PASS, reference.verdict(), spec);
            assertTrue(reference.findings().isEmpty(), () -> spec + ":\n" + String.join("\n", reference.findings()));
            for (String other : spec.equals("gru-huber") ? java.util.List.of("truncated-bptt")
                    : java.util.List.of("truncated-bptt", "lstm-forget-tanh-derivative", "lstm-cell-no-forget-product")) {
                SpecResult r = run(s, GraphMutants.byName(other).implementation());
                assertEquals(Verdict.MISMATCH, r.verdict(), spec + " " + other);
                assertTrue(r.findings().stream().noneMatch(f -> f.contains("point the opposite way")),
                        () -> spec + " " + other + ":\n" + String.join("\n", r.findings()));
            }
        }
    }
}
