package dev.gradproof.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #11 item 10: a spec name cannot redraw the terminal or break summary.md. */
class HostileTextTest {
    @TempDir
    Path dir;

    @Test
    void aNameWithControlCharactersCannotRewriteAFailLineOnTheTerminal() {
        Cli.Result r = Cli.run("check", Cli.fixture("hostile-name.yaml").toString(), "--no-report");
        assertEquals(1, r.exit(), r::all);
        assertTrue(r.outLines().get(0).startsWith("FAIL  \\r\\e[2Kok    sneaky: pass (expected pass) | <script>alert(1)"
                + "</script>: mismatch (expected pass)"), r.outLines().get(0));
        assertFalse(r.all().contains("\r") || r.all().contains("\u001B"), "no raw control character reaches the terminal");
    }

    @Test
    void summaryMarkdownEscapesTheNameInTheTableAndTheHeading() throws IOException {
        Cli.Result r = Cli.run("check", Cli.fixture("hostile-name.yaml").toString(), "--reports", dir.toString());
        assertEquals(1, r.exit(), r::all);
        List<String> md = Files.readAllLines(dir.resolve("latest/summary.md"));
        String escaped = "\\\\r\\\\e\\[2Kok    sneaky: pass (expected pass) \\| &lt;script&gt;alert(1)&lt;/script&gt;";
        assertTrue(md.contains("| " + escaped + " | pass | mismatch | **no** | 3 | 17 | 1.92 | 0 | 0 | "
                + md.get(6).substring(md.get(6).lastIndexOf("| ", md.get(6).length() - 3) + 2)), md::toString);
        assertTrue(md.contains("## " + escaped), md::toString);
        assertEquals(11, md.get(6).chars().filter(c -> c == '|').count() - 1, "the row keeps its 10 columns: " + md.get(6));
    }
}
