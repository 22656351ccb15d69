package dev.gradproof.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --recipe on a layer graph: a well-formed recipe is checked (ShrinkingTest), a malformed one is an error. */
class GraphRecipeCliTest {

    private static final String SPEC = "specs/layers/conv2d-stride-padding.yaml";

    @Test
    void aRecipeRedrawsOneTrialOfTheGraph() {
        // conv1 narrowed to 1 channel: 1·2·3·3 + 1, then out: 3·(1·5·5) + 3 = 97 parameters (285 unnarrowed).
        Cli.Result r = Cli.run("check", SPEC, "--recipe", "seed=5 examples=2 widths=conv1:1", "--no-report");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().startsWith("ok    conv2d-stride-padding: pass (expected pass), 1 trial x 97 parameters"), r.out());
    }

    @Test
    void aMalformedRecipeIsAnErrorNamingThePart() {
        Cli.Result r = Cli.run("check", SPEC, "--recipe", "seed=1 widths=conv1:0", "--no-report");
        assertEquals(1, r.exit(), r.all());
        assertTrue(r.out().contains("  error: --recipe: trial recipe: 0 is not a positive count in 'widths=conv1:0'\n"),
                r.out());
    }

    @Test
    void aDenseRecipeOnAGraphIsAnError() {
        Cli.Result r = Cli.run("check", SPEC, "--recipe", "seed=1 examples=2 digits=2 units=", "--no-report");
        assertEquals(1, r.exit(), r.all());
        assertTrue(r.out().contains("  error: --recipe: trial recipe: unknown key 'digits' (a layer graph's recipe has "
                + "seed, examples, steps, widths)\n"), r.out());
    }
}
