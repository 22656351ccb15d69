package dev.gradproof.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check --impl mutant:NAME} names the graph zoo's mutants too, on layer graphs, and a mutant of the
 * wrong zoo, or one whose layer the spec lacks, is an error that says so.
 */
class GraphMutantImplTest {
    @TempDir
    Path reports;

    private Cli.Result check(String spec, String mutant) {
        return Cli.run("check", spec, "--impl", "mutant:" + mutant, "--trials", "1", "--reports", reports.toString());
    }

    @Test
    void aGraphMutantIsCheckedOnALayerGraphAndNamedByItsFinding() {
        Cli.Result r = check("specs/architectures/gru-huber.yaml", "truncated-bptt");
        assertEquals(1, r.exit(), r::all);
        assertTrue(r.out().contains("FAIL  gru-huber: mismatch (expected pass)"), r::all);
        assertTrue(r.out().contains("backpropagation through time truncated to one step by accident?"), r::all);
        assertTrue(r.out().contains("--impl mutant:truncated-bptt"), "the recipe redraws it: " + r.out());
        Cli.Result correct = check("specs/layers/lstm-last.yaml", "lstm-per-step");
        assertEquals(0, correct.exit(), correct::all);
        assertTrue(correct.out().contains("1 passed, 0 failed"), correct::all);
    }

    @Test
    void theWrongZooOrAMissingLayerIsAnErrorThatSaysWhy() {
        assertTrue(check("specs/tanh-tutorial-fixed.yaml", "truncated-bptt").out().contains("error: mutant"
                + " truncated-bptt is a layer-graph bug: it applies to specs whose layers name a type (conv2d, lstm,"
                + " ...), and tanh-tutorial-fixed is a dense chain"));
        assertTrue(check("specs/architectures/gru-huber.yaml", "tanh-tan").out().contains("error: mutant tanh-tan is a"
                + " dense-chain bug; the layer-graph zoo's (gradproof mutants list) apply to layer graphs"));
        assertTrue(check("specs/architectures/gru-huber.yaml", "conv-input-no-flip").out().contains("error: mutant"
                + " conv-input-no-flip does not apply to this spec: no convolution"));
        Cli.Result unknown = check("specs/architectures/gru-huber.yaml", "nope");
        assertTrue(unknown.out().contains("error: unknown mutant 'nope'; dense chains: tanh-tan, ")
                && unknown.out().contains("; layer graphs: conv-input-no-flip, "), unknown::all);
    }
}
