package dev.gradproof.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradproof.api.Verdict;
import dev.gradproof.compare.ParameterResult;
import dev.gradproof.compare.Shard;
import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.spec.ImplementationSpec;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.SpecLoader;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Layer-graph specs checked against a child process end to end (issue #15): examples/numpy/net speaks
 * protocol 2 and passes; its planted embedding bug is caught and located to the tensor; as a version 1
 * child it still passes a dense chain and refuses a graph with the reason. The PyTorch adapter passes a
 * conv spec, and its hand-written conv autograd.Function with a planted stride bug is located to
 * conv1.weight (these need Debian's python3-torch, as CI has: without it they fail, saying so).
 */
@Timeout(300)
class ProcessGraphSpecsTest {
    static final String NET = "examples/numpy/net";

    static SpecResult check(String spec, String command) {
        try {
            Spec s = new SpecLoader().load(Path.of(spec));
            ImplementationSpec impl = new ImplementationSpec("process", command, Duration.ofSeconds(120));
            return SpecRun.run(s, impl, null, SpecChecker.Progress.NONE, Shard.ALL, ProcessPermission.none());
        } catch (Exception e) {
            throw new AssertionError(spec, e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"specs/layers/conv2d-stride-padding.yaml", "specs/layers/max-pool-ties.yaml",
            "specs/layers/dropout.yaml", "specs/layers/lstm-last.yaml", "specs/layers/embedding-repeats.yaml",
            "specs/architectures/gru-huber.yaml"})
    void numpyPassesLayerGraphs(String spec) {
        SpecResult r = check(spec, NET);
        assertEquals(Verdict.PASS, r.verdict(), () -> spec + ": " + r.error() + " " + r.findings());
        assertTrue(r.parametersChecked() > 0, spec);
        assertTrue(r.mismatches().isEmpty(), spec);
    }

    @Test
    void aPlantedEmbeddingBugIsCaughtAndLocatedToItsTensor() {
        SpecResult r = check("specs/layers/embedding-repeats.yaml", NET + " --bug embedding-assign");
        assertEquals(Verdict.MISMATCH, r.verdict(), r::toString);
        assertEquals(Set.of("embed.weight"), mismatchedTensors(r));
    }

    private static Set<String> mismatchedTensors(SpecResult r) {
        Set<String> tensors = new TreeSet<>();
        for (ParameterResult p : r.mismatches()) {
            tensors.add(p.parameter().substring(0, p.parameter().indexOf('[')));
        }
        return tensors;
    }

    @Test
    void theTorchAdapterPassesAConvSpec() {
        SpecResult r = check("specs/layers/conv2d-stride-padding.yaml", "adapters/torch/gradproof-torch");
        assertEquals(Verdict.PASS, r.verdict(), () -> r.error() + " " + r.findings());
        assertTrue(r.parametersChecked() > 0);
    }

    @Test
    void aTorchAutogradFunctionWithAStrideBugIsLocatedToConv1WeightAndTheFixedOnePasses() {
        SpecResult bug = check("adapters/torch/specs/conv2d-stride-function-bug.yaml",
                "adapters/torch/examples/conv-function bug");
        assertEquals(Verdict.MISMATCH, bug.verdict(), () -> bug.error() + " " + bug.findings());
        assertEquals(Set.of("conv1.weight"), mismatchedTensors(bug));
        SpecResult fixed = check("adapters/torch/specs/conv2d-stride-function-fixed.yaml",
                "adapters/torch/examples/conv-function fixed");
        assertEquals(Verdict.PASS, fixed.verdict(), () -> fixed.error() + " " + fixed.findings());
    }

    @Test
    void aVersion1ChildStillPassesADenseChain() {
        SpecResult r = check("specs/tanh-tutorial-fixed.yaml", NET + " --protocol 1");
        assertEquals(Verdict.PASS, r.verdict(), () -> r.error() + " " + r.findings());
    }

    @Test
    void aVersion1ChildOfferedAGraphIsTheNeedsProtocol2Error() {
        SpecResult r = check("specs/layers/conv2d-stride-padding.yaml", NET + " --protocol 1");
        assertEquals(Verdict.ERROR, r.verdict());
        assertEquals(NET + " --protocol 1: needs protocol 2: layer 1 (conv1) is conv2d, which only a protocol 2 child"
                + " can build; the child answered the protocol 2 hello with: ValueError: protocol 2 is not supported"
                + " (this is protocol 1)", r.error());
        assertFalse(r.error().contains("Exception"), r.error());
    }
}
