package dev.gradproof.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #11 end to end: `gradproof check` on csv data that cannot be used says why and never passes. */
class CsvCheckTest {

    @Test
    void theIssuesFileIsAnErrorNotAPassOnNoExamples(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("empty.csv"), "x1,x2,y\nn/a,n/a,n/a\n");
        Path spec = dir.resolve("t.yaml");
        Files.writeString(spec, Files.readString(Path.of("specs/tanh-tutorial-bug.yaml"))
                .replace("  generator: xor", "  csv: empty.csv").replace("expect: mismatch", "expect: pass"));
        Cli.Result r = Cli.run("check", spec.toString(), "--no-report");
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.out().contains("FAIL  tanh-tutorial-bug: error (expected pass)"), r.all());
        assertTrue(r.out().contains("  error: " + spec + ":28:8: data.csv: " + dir.resolve("empty.csv")
                + " line 2, column 0 ('x1'): expected a number, got 'n/a'\n"), r.all());
        assertFalse(r.all().contains("\tat "), r.all());
    }

    @Test
    void maxExamplesBoundsTheRowsOfACsvFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("three.csv"), "1,2,0\n1,2,1\n3,4,0\n");
        Path spec = dir.resolve("f.yaml");
        Files.writeString(spec, Files.readString(Path.of("specs/tanh-tutorial-fixed.yaml"))
                .replace("  generator: xor", "  csv: three.csv"));
        Cli.Result two = Cli.run("check", spec.toString(), "--no-report", "--max-examples", "2");
        assertEquals(2, two.exit(), two.all());
        assertTrue(two.out().contains(dir.resolve("three.csv") + " has more than 2 data rows, the limit (raise it with "
                + "--max-examples, or read the first rows only with examples: N)"), two.all());
        Cli.Result three = Cli.run("check", spec.toString(), "--no-report", "--max-examples", "3");
        assertEquals(0, three.exit(), three.all());
        assertTrue(three.out().contains("ok    tanh-tutorial-fixed: pass (expected pass)"), three.all());
    }
}
