package dev.gradproof.mutants;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gradproof.cli.MutantsCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code gradproof mutants ...}, run in-process as Main would once the command is registered. */
class MutantsCommandTest {

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new MutantsCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void eachZoosTableLeavesTheOtherKindOfNetworkOutAndSaysWhere() {
        Run dense = run("table", "specs/layers/conv2d-stride-padding.yaml", "specs/sigmoid-2-2-1.yaml", "--seeds", "1");
        assertEquals(0, dense.exit(), dense.err());
        assertTrue(dense.out().contains("skipped 1 layer graph (their zoo: gradproof mutants table --graphs): "
                + "conv2d-stride-padding\n"), dense.out());
        Run graphs = run("table", "--graphs", "specs/layers/conv2d-stride-padding.yaml", "specs/sigmoid-2-2-1.yaml",
                "--seeds", "1");
        assertEquals(0, graphs.exit(), graphs.err());
        assertTrue(graphs.out().contains("skipped sigmoid-2-2-1: a dense chain (the dense zoo: gradproof mutants table)\n"),
                graphs.out());
    }

    @Test
    void listNamesEveryMutantWithItsSummary() {
        Run r = run("list");
        assertEquals(0, r.exit());
        for (Mutant m : Mutants.all()) {
            assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith(m.name() + " ") && l.endsWith(m.summary())),
                    m.name() + " missing from\n" + r.out());
        }
        assertTrue(r.out().indexOf("correct variants") < r.out().indexOf("float32"));
    }

    @Test
    void explainPrintsTheParagraphAndRunsItOnTheSpecsGiven() {
        Run r = run("explain", "mean-not-divided", "specs/sine-regression.yaml", "specs/bpnn-xor.yaml");
        assertEquals(0, r.exit(), r.err());
        String flat = r.out().replace('\n', ' ');
        assertTrue(flat.contains("the hand-written backward starts from delta = a - y"), r.out());
        assertTrue(r.out().contains("Applies to: reduction mean over more than one example."), r.out());
        assertTrue(r.out().contains("specs/sine-regression.yaml: applicable"), r.out());
        assertTrue(r.out().contains("ok    sine-regression: mismatch (expected mismatch)"), r.out());
        assertTrue(r.out().contains("specs/bpnn-xor.yaml: not applicable: reduction is sum"), r.out());
    }

    @Test
    void explainRejectsAnUnknownName() {
        Run r = run("explain", "no-such-bug");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("unknown mutant 'no-such-bug'; valid names: tanh-tan,"), r.err());
    }

    @Test
    void tableOnAFolderPrintsTextAndJsonAndExitsZeroWhenEverythingIsCaught(@TempDir Path dir) throws IOException {
        for (String name : new String[] {"bpnn-xor", "ng-check-nn-gradients", "tanh-tutorial-bug", "loss-without-reduction"}) {
            Files.copy(Path.of("specs", name + ".yaml"), dir.resolve(name + ".yaml"));
        }
        Run r = run("table", "--seeds", "2", "--mutant", "l2-half-lambda", "--mutant", "swap-w1-rows",
                "--mutant", "float32", "--json", dir.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertTrue(json.get("ok").asBoolean());
        assertEquals(2, json.get("seeds").asInt());
        assertEquals(2, json.get("specs").size());
        assertEquals(3, json.get("mutants").size());
        assertEquals(2, json.get("skipped").size());
        // The text goes to standard error with --json.
        assertTrue(r.err().lines().anyMatch(l -> l.matches("l2-half-lambda +n/a +2/2 *")), r.err());
        assertTrue(r.err().lines().anyMatch(l -> l.matches("float32 +0 FA +0 FA *")), r.err());
        assertTrue(r.err().contains("skipped tanh-tutorial-bug: expects mismatch (a demonstration spec)"), r.err());
        assertTrue(r.err().contains("skipped loss-without-reduction: expects error"), r.err());
        assertTrue(r.err().contains("OK: every applicable bug caught in every trial, no false alarm"), r.err());
    }

    @Test
    void tableSkipsLargeSpecsAndRejectsBadArguments() {
        Run r = run("table", "--seeds", "1", "--mutant", "swap-w1-rows", "--max-size", "100",
                "specs/bpnn-xor.yaml", "specs/sine-regression.yaml");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("skipped sine-regression: large: 6,600 examples x parameters > --max-size 100"), r.out());
        assertFalse(r.out().contains("sine-regression\n"), r.out());
        assertEquals(2, run("table", "--seeds", "0").exit());
        assertEquals(2, run("table", "--mutant", "nope", "specs/bpnn-xor.yaml").exit());
        assertEquals(2, run("table", "no/such/folder").exit());
    }
}
