package dev.gradproof.mutants.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gradproof.cli.MutantsCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** {@code gradproof mutants table --graphs}, {@code list} and {@code explain} for the graph zoo, in-process. */
class GraphTableCommandTest {

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
    void theTableRunsTheGraphZooInBothModes() throws Exception {
        Run r = run("table", "--graphs", "--seeds", "2", "--json", "--mutant", "dropout-mask-forgotten",
                "--mutant", "dropout-p0-identity", "specs/layers/dropout.yaml", "specs/layers/dropout-p0.yaml",
                "specs/sigmoid-2-2-1.yaml");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("   1  dropout, exhaustive\n   2  dropout, directional\n   3  dropout-p0, exhaustive\n"
                + "   4  dropout-p0, directional\n"), r.err());
        assertTrue(r.err().contains("dropout-mask-forgotten  caught in 100% of 4 applicable trials (2 specs)"), r.err());
        assertTrue(r.err().contains("dropout-p0-identity     0 false alarms in 4 trials (2 specs)"), r.err());
        assertTrue(r.err().contains("skipped sigmoid-2-2-1: a dense chain (the dense zoo: gradproof mutants table)"),
                r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertTrue(json.get("ok").asBoolean());
        JsonNode entry = json.get("mutants").get(0).get("entries").get(2);
        assertEquals("dropout-p0, exhaustive", entry.get("spec").asText());
        assertEquals("no dropout with p > 0", entry.get("reason").asText());
    }

    @Test
    void anUnknownGraphMutantIsAUsageError() {
        Run r = run("table", "--graphs", "--mutant", "tanh-tan");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("gradproof mutants table: no graph mutant named tanh-tan (known: conv-input-no-flip, "),
                r.err());
    }

    @Test
    void listAndExplainShowTheGraphZoo() {
        Run list = run("list");
        for (GraphMutant m : GraphMutants.all()) {
            assertTrue(list.out().lines().anyMatch(l -> l.trim().startsWith(m.name() + " ")
                    && l.endsWith(m.layer() + ": " + m.summary())), m.name() + " missing from\n" + list.out());
        }
        Run explain = run("explain", "embedding-assigned");
        assertEquals(0, explain.exit());
        assertTrue(explain.out().startsWith("embedding-assigned (bug: must be caught), in embedding\n"
                + "  embedding gradient scattered by assignment: a repeated id keeps one position's gradient\n\n"
                + "  dW[ids] = dy   (reference: np.add.at(dW, ids, dy), i.e. dW[id] += dy at every position)\n"),
                explain.out());
    }
}
