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
}
