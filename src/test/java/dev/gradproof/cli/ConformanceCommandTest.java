package dev.gradproof.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** gradproof conformance: one row per spec, one column per implementation, each cell a verdict in words. */
class ConformanceCommandTest {

    @Test
    void eachCellSaysPassRefusedOrWhereTheMismatchIs() {
        Cli.Result r = Cli.run("conformance", "specs/layers/embedding-repeats.yaml", "specs/sigmoid-2-2-1.yaml",
                "--impl", "numpy=examples/numpy/net",
                "--impl", "numpy v1=examples/numpy/net --protocol 1",
                "--impl", "scatter bug=examples/numpy/net --bug embedding-assign");

        assertEquals(1, r.exit(), r.all());   // the planted bug is a mismatch
        assertTrue(r.out().contains("| spec | layers | reference | numpy | numpy v1 | scatter bug |\n|---|---|---|---|---|---|\n"),
                r.out());
        String embedding = r.out().lines().filter(l -> l.startsWith("| embedding-repeats |")).findFirst().orElseThrow();
        assertTrue(embedding.startsWith("| embedding-repeats | `embedding, flatten, dense identity; mse` | pass | pass |"
                + " refused: needs protocol 2: "), embedding);
        assertTrue(embedding.contains("| mismatch: embed.weight ("), embedding);
        assertEquals("| sigmoid-2-2-1 | `dense sigmoid, dense sigmoid; squared_error` | pass | pass | pass | pass |",
                r.out().lines().filter(l -> l.startsWith("| sigmoid-2-2-1 |")).findFirst().orElseThrow());
    }

    @Test
    void aColumnWithoutANameIsAUsageError() {
        Cli.Result r = Cli.run("conformance", "specs/sigmoid-2-2-1.yaml", "--impl", "examples/numpy/net");
        assertEquals(2, r.exit());
        assertEquals("gradproof conformance: --impl: expected NAME=IMPL, got 'examples/numpy/net'", r.err().strip());
    }
}
