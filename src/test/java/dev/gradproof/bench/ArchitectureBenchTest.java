package dev.gradproof.bench;

import dev.gradproof.spec.CheckSpec;
import dev.gradproof.spec.Spec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code bench --graphs}: the specs it writes, the table it prints, and PyTorch rebuilding each architecture. */
@Timeout(300)
class ArchitectureBenchTest {
    @TempDir
    Path dir;

    @Test
    void eachArchitectureIsWrittenWithEachCheckAndOnlyTheCheckChanges() throws IOException {
        for (String name : Architectures.NAMES) {
            Spec original = Architectures.load(Path.of("specs/architectures", name + ".yaml"));
            for (Architectures.Check check : Architectures.Check.values()) {
                Spec s = Architectures.load(Architectures.write(Path.of("specs/architectures"), name, check, dir));
                String what = name + " " + check;
                assertEquals(name + "-" + check.name().toLowerCase().replace('_', '-'), s.name(), what);
                assertEquals(original.network().graph().layers(), s.network().graph().layers(), what);
                assertEquals(original.network().graph().input(), s.network().graph().input(), what);
                assertEquals(original.loss(), s.loss(), what);
                assertEquals(original.data(), s.data(), what);
                assertEquals(original.seed(), s.seed(), what);
                CheckSpec c = s.check();
                assertEquals(1, c.trials(), what);
                assertEquals(0, c.parameters(), what + ": every parameter");
                assertEquals(check == Architectures.Check.DIRECTIONAL ? 8 : 0, c.directions(), what);
                if (check != Architectures.Check.DIRECTIONAL) {
                    assertEquals(check == Architectures.Check.EXACT ? Set.of(CheckSpec.EXACT)
                            : Set.of(CheckSpec.EXACT, CheckSpec.FINITE_DIFFERENCE), c.oracles(), what);
                }
            }
        }
    }

    @Test
    void aSpecWithoutACheckSectionIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Architectures.withCheck("name: x\nseed: 1\n", "x", Architectures.Check.EXACT));
        assertEquals("x has no top-level check section to replace", e.getMessage());
    }

    @Test
    void aNestedOrCommentedCheckSectionIsReplacedWhole() {
        String yaml = "name: a\ncheck:\n  trials: 2\n  # every one\n  parameters: 300\nseed: 8\n";
        assertEquals("name: a-exact-fd\n" + Architectures.Check.EXACT_FD.yaml + "\nseed: 8\n",
                Architectures.withCheck(yaml, "a", Architectures.Check.EXACT_FD));
    }

    @Test
    void ratiosAreMarkedAgainstTheirBounds() {
        assertEquals("×150 met", ArchitectureBench.against(150.2, 100, true));
        assertEquals("×15 **missed**", ArchitectureBench.against(15.4, 100, true));
        assertEquals("×5.00 met", ArchitectureBench.against(5, 5, true));
        assertEquals("×1.25 **missed**", ArchitectureBench.against(1.249, 5, true));
        assertEquals("×0.50 met", ArchitectureBench.against(0.5, 2, false));
        assertEquals("×12 **missed**", ArchitectureBench.against(11.6, 2, false));
        assertEquals("-", ArchitectureBench.against(Double.NaN, 2, false));
        assertEquals("-", ArchitectureBench.against(Double.POSITIVE_INFINITY, 2, false));
    }

    @Test
    void aRowPrintsEveryFigureAndDashesForWhatWasNotMeasured() {
        ArchitectureBench.Row r = new ArchitectureBench.Row("resnet-block", 1290, 8, 0.522, 6.113, 0.186, 1.09, 2.531,
                7.63, 0.094, 182.4, "pass, pass, pass");
        assertEquals("| resnet-block | 1,290 | 8 | 0.522 | 6.113 | 0.186 | 1.090 (2.531) | 7.630 | 0.094 | ×15 **missed** "
                + "| ×1.25 **missed** | ×12 **missed** | 182 | pass, pass, pass |", r.markdown());
        ArchitectureBench.Row noTorch = new ArchitectureBench.Row("lenet5", 44426, 16, 2, 40, 0.5, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, "pass, pass, pass");
        assertEquals("| lenet5 | 44,426 | 16 | 2.000 | 40.000 | 0.500 | - (-) | - | - | - | - | - | - | pass, pass, pass |",
                noTorch.markdown());
        assertEquals(ArchitectureBench.HEADER.lines().findFirst().orElseThrow().split("\\|").length,
                r.markdown().split("\\|").length, "one cell per column");
    }

    @Test
    void theColdRunsSecondsAreReadFromTheCheckLine() throws IOException {
        assertEquals(3.44, ColdCheck.reportSeconds(List.of("ok    resnet-block-directional: pass (expected pass), "
                + "1 trial x 1,290 parameters, max rel. error 2.99e-13, max error 8.6e-07 of tolerance, 3.44 s",
                "1 passed, 0 failed")));
        IOException e = assertThrows(IOException.class, () -> ColdCheck.reportSeconds(List.of(
                "FAIL  x: mismatch (expected pass), 1.00 s", "0 passed, 1 failed")));
        assertEquals("no passing check line in its output: FAIL  x: mismatch (expected pass), 1.00 s / 0 passed, 1 failed",
                e.getMessage());
    }

    /** graph_loss.py must rebuild every architecture exactly: the same loss to 1e-9, and gradcheck passes. */
    @Test
    void pytorchRebuildsEveryArchitectureWithGradproofsLoss() throws IOException {
        ArchitectureBench.Options o = ArchitectureBench.Options.standard(Architectures.NAMES, 1, 1, 1, 1,
                Duration.ofSeconds(120));
        String python = OtherCheckers.pythonWithTorch(o.pythons(), line -> { }).orElse(null);
        assumeTrue(python != null, "no python here imports torch (apt-get install python3-torch)");
        for (String name : Architectures.NAMES) {
            Spec spec = Architectures.load(Architectures.write(o.specDir(), name, Architectures.Check.EXACT, dir));
            Path dump = dir.resolve(name + ".json");
            double loss = Architectures.dump(spec, dump);
            List<String> notes = new ArrayList<>();
            double seconds = ArchitectureBench.torch(o, python, "--fast", dump, 1, loss, name, notes, line -> { });
            assertTrue(notes.isEmpty(), () -> name + ": " + notes);
            assertFalse(Double.isNaN(seconds), name);
        }
    }

    @Test
    void anotherLossIsAWarningNamingBothLosses() throws IOException {
        ArchitectureBench.Options o = ArchitectureBench.Options.standard(List.of("resnet-block"), 1, 1, 1, 1,
                Duration.ofSeconds(120));
        String python = OtherCheckers.pythonWithTorch(o.pythons(), line -> { }).orElse(null);
        assumeTrue(python != null, "no python here imports torch (apt-get install python3-torch)");
        Spec spec = Architectures.load(Architectures.write(o.specDir(), "resnet-block", Architectures.Check.EXACT, dir));
        Path dump = dir.resolve("resnet-block.json");
        double loss = Architectures.dump(spec, dump);
        List<String> notes = new ArrayList<>();
        ArchitectureBench.torch(o, python, "--fast", dump, 1, loss + 1e-6, "resnet-block", notes, line -> { });
        assertEquals(1, notes.size(), notes::toString);
        assertTrue(notes.get(0).startsWith("warning: on resnet-block PyTorch computed the loss 2.62022"), notes::toString);
        assertTrue(notes.get(0).endsWith(": it did not check the same network"), notes::toString);
    }
}
