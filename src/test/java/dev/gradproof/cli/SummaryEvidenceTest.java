package dev.gradproof.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #13: summary.md carries every finding the console prints, and shows the charts written beside it. */
class SummaryEvidenceTest {
    @TempDir
    Path reports;

    @Test
    void summaryHoldsEveryConsoleLineOfAConstantFactorAndItsConsistencyFindings() throws IOException {
        Cli.Result r = Cli.run("check", "specs/breast-cancer.yaml", "--impl", "mutant:mean-not-divided",
                "--trials", "1", "--reports", reports.toString());
        assertEquals(1, r.exit(), r::all);
        String md = Files.readString(reports.resolve("latest/summary.md"));
        List<String> findings = detailLines(r.out());
        for (String prefix : List.of("where: ", "constant factor: ", "own consistency: ", "convention: ", "loss: ")) {
            assertTrue(findings.stream().anyMatch(l -> l.startsWith(prefix)), "the console prints a " + prefix + r.out());
        }
        assertTrue(findings.stream().anyMatch(l -> l.contains("×N (N = 569)")), r.out());
        findings.forEach(line -> assertTrue(md.contains("\n" + line + "\n"), () -> "summary.md lacks: " + line + "\n" + md));
    }

    @Test
    void summaryHoldsTheActivationFindingsAndInlinesTheCharts() throws IOException {
        Cli.Result r = Cli.run("check", "specs/tanh-tutorial-bug.yaml", "specs/tanh-tutorial-fixed.yaml",
                "--reports", reports.toString());
        assertEquals(0, r.exit(), r::all);
        String md = Files.readString(reports.resolve("latest/summary.md"));
        List<String> findings = detailLines(r.out());
        assertTrue(findings.stream().anyMatch(l -> l.startsWith("layer 1 tanh with declared f'(x) = 1 - tanh(x) * tan(x): 40 of 41")),
                r.out());
        findings.forEach(line -> assertTrue(md.contains("\n" + line + "\n"), () -> "summary.md lacks: " + line + "\n" + md));
        Path plots = reports.resolve("latest/plots");
        for (String chart : List.of("tanh-tutorial-bug-layer-errors.png", "tanh-tutorial-bug-layer1-derivative.png")) {
            assertTrue(Files.exists(plots.resolve(chart)), chart);
            assertTrue(md.contains("\n![" + chart.replace("_", "\\_") + "](plots/" + chart + ")\n"), md);
        }
        assertTrue(Files.exists(plots.resolve("tanh-tutorial-fixed-layer-errors.png")));
        assertTrue(md.contains("\n## Charts of the clean passes\n\n"
                + "- [tanh-tutorial-fixed-layer-errors.png](plots/tanh-tutorial-fixed-layer-errors.png)\n"), md);
    }

    /**
     * The lines the console printed under each spec line, without their indent and without the one line whose
     * length differs by design ("... and N more": summary.md shows 20 mismatch rows where the console shows 10).
     */
    private static List<String> detailLines(String out) {
        return out.lines().filter(l -> l.startsWith("  ")).map(String::strip)
                .filter(l -> !l.startsWith("... and ") && !l.isEmpty()).toList();
    }
}
