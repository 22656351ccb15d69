package dev.gradproof.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The side-by-side table: parsing the other checkers' lines, the table, and the skipped and failed paths. */
@Timeout(60)
class OtherCheckersTest {
    static final String TORCH_LINE = "{\"checker\": \"torch.autograd.gradcheck\", \"torch\": \"1.13.0a0\", \"threads\": 2, "
            + "\"repeats\": 3, \"runs\": [{\"mode\": \"full\", \"examples\": 500, \"parameters\": 10285, \"seconds\": 150.5, "
            + "\"times\": [150.5, 149.0, 151.2], \"passed\": true, \"loss\": 7.25, \"eps\": 1e-06, \"atol\": 1e-05, "
            + "\"rtol\": 0.001}, {\"mode\": \"fast\", \"examples\": 5000, \"parameters\": 10285, \"seconds\": 1.25, "
            + "\"times\": [1.25], \"passed\": false, \"loss\": 7.5, \"eps\": 1e-06, \"atol\": 1e-05, \"rtol\": 0.001}]}";
    static final String DL4J_LINE = "{\"checker\":\"GradientCheckUtil\",\"dl4j\":\"1.0.0-M2.1\",\"examples\":100,"
            + "\"parameters\":10285,\"seconds\":24.0,\"times\":[24.0, 25.0, 23.0],\"passed\":true,\"loss\":7.0,"
            + "\"epsilon\":1.0E-6,\"max_rel_error\":0.001,\"min_abs_error\":1.0E-8,\"omp_threads\":\"1\"}";

    @TempDir
    Path dir;

    @Test
    void torchLineBecomesOneRowPerMode() throws IOException {
        List<OtherCheckers.Row> rows = OtherCheckers.torchRows(TORCH_LINE);
        assertEquals(2, rows.size());
        OtherCheckers.Row full = rows.get(0);
        assertEquals(new OtherCheckers.Row("PyTorch 1.13.0a0 gradcheck", "full", 500, 150.5, Double.NaN,
                "pass (atol 1e-5, rtol 1e-3)", 7.25), full);
        assertEquals("fast_mode", rows.get(1).mode());
        assertEquals("fail (atol 1e-5, rtol 1e-3)", rows.get(1).verdict());
    }

    @Test
    void dl4jLineBecomesARow() throws IOException {
        OtherCheckers.Row r = OtherCheckers.dl4jRow(DL4J_LINE);
        assertEquals(new OtherCheckers.Row("DL4J 1.0.0-M2.1 GradientCheckUtil", "every parameter, central difference", 100,
                24.0, Double.NaN, "pass (max rel. error 1e-3)", 7.0), r);
    }

    @Test
    void tableHasTheRatioToTheGradproofRowAndTheNotes() throws IOException {
        OtherCheckers.Row gp = new OtherCheckers.Row("gradproof", "exhaustive: exact + finite differences", 500, 2.5,
                Double.NaN, "pass", Double.NaN);
        List<String> notes = new ArrayList<>();
        OtherCheckers.Row torch = OtherCheckers.compared(OtherCheckers.torchRows(TORCH_LINE).get(0), gp,
                new OtherCheckers.Dumped(dir.resolve("x.json"), 7.25), notes);
        assertEquals(60.2, torch.ratio(), 1e-12);
        assertTrue(notes.isEmpty(), notes::toString);
        notes.add("PyTorch: skipped: why");
        String table = new OtherCheckers.Report(List.of(gp, torch), notes).markdown();
        assertEquals("""
                | checker | mode | examples | seconds (median) | ratio to gradproof | verdict |
                |---|---|---|---|---|---|
                | gradproof | exhaustive: exact + finite differences | 500 | 2.500 | 1 (reference) | pass |
                | PyTorch 1.13.0a0 gradcheck | full | 500 | 150.500 | ×60.2 | pass (atol 1e-5, rtol 1e-3) |

                - PyTorch: skipped: why""", table);
    }

    @Test
    void anotherLossMeansAnotherNetworkAndSaysSo() throws IOException {
        List<String> notes = new ArrayList<>();
        OtherCheckers.compared(OtherCheckers.dl4jRow(DL4J_LINE), OtherCheckers.gradproof(
                Workload.ex4(3, 10, Workload.exactOnly()), "exact", 1, line -> { }),
                new OtherCheckers.Dumped(dir.resolve("x.json"), 7.5), notes);
        assertEquals(1, notes.size());
        assertTrue(notes.get(0).startsWith("warning: DL4J 1.0.0-M2.1 GradientCheckUtil computed the loss 7.0"), notes::toString);
        assertTrue(notes.get(0).endsWith("it did not check the same network"), notes::toString);
    }

    @Test
    void torchNotInstalledIsSkippedWithHowToInstallIt() throws IOException {
        List<String> notes = new ArrayList<>();
        OtherCheckers.Options o = options(List.of(dir.resolve("no-python").toString()), existingScript(), dir.resolve("none"));
        assertEquals(List.of(), OtherCheckers.torch(o, dir, dir, notes, line -> { }));
        assertEquals(1, notes.size());
        assertTrue(notes.get(0).startsWith("PyTorch: skipped: no Python here imports torch (tried " + dir), notes.get(0));
        assertTrue(notes.get(0).contains("apt-get install python3-torch"), notes.get(0));
    }

    @Test
    void dl4jNotBuiltIsSkippedWithHowToBuildIt() throws IOException {
        Path launcher = dir.resolve("dl4j/gradproof-dl4j");
        Files.createDirectories(launcher.getParent());
        Files.writeString(launcher, "#!/bin/sh\nexit 1\n");
        List<String> notes = new ArrayList<>();
        assertTrue(OtherCheckers.dl4j(options(List.of(), existingScript(), launcher), dir, notes, line -> { }).isEmpty());
        assertEquals(List.of("Deeplearning4j: skipped: the DL4J adapter is not built; build it with "
                + "`adapters/dl4j/gradproof-dl4j --build` (downloads DL4J and ND4J, about 150 MB; see docs/DL4J.md)."), notes);
    }

    @Test
    void aFailingOrHungCheckerIsALineNotAStackTrace() throws IOException {
        // A stand-in "python" that imports anything, then fails (or hangs) when running the script.
        Path failing = executable("fails", "[ \"$1\" = -c ] && exit 0; echo 'RuntimeError: out of memory' >&2; exit 3");
        Path hanging = executable("hangs", "[ \"$1\" = -c ] && exit 0; exec sleep 60");
        List<String> notes = new ArrayList<>();
        OtherCheckers.torch(options(List.of(failing.toString()), existingScript(), dir), dir, dir, notes, line -> { });
        OtherCheckers.torch(options(List.of(hanging.toString()), existingScript(), dir), dir, dir, notes, line -> { });
        assertEquals(2, notes.size(), notes::toString);
        assertTrue(notes.get(0).startsWith("PyTorch: failed: " + failing), notes.get(0));
        assertTrue(notes.get(0).contains("exited with code 3") && notes.get(0).contains("RuntimeError: out of memory"),
                notes.get(0));
        assertTrue(notes.get(1).contains("did not finish within 1 s; killed it"), notes.get(1));
    }

    @Test
    void theColdRunsFileIsTheWorkloadsNetwork() throws IOException {
        Path yaml = Files.writeString(dir.resolve("ex4.yaml"), Workload.ex4Yaml(3, 10, Architectures.Check.EXACT.yaml));
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        double fromFile = OtherCheckers.dump(Architectures.load(yaml), a).loss();
        double inCode = OtherCheckers.dump(Workload.ex4(3, 10, Workload.exactOnly()), b).loss();
        assertEquals(inCode, fromFile, 0.0);
        assertEquals(Files.readString(b.resolve("ex4-400-3-10-n10.json")), Files.readString(a.resolve("ex4-400-3-10-n10.json")));
    }

    @Test
    void aColdRowSaysWhichOfTheIssuesBoundsItMeets() {
        assertEquals("| fast mode, 8 directions | 5,000 | 0.980 | 1.440 | 0.520 | ×1.88 | ≤ ×0.5: **missed**; process ≤ 1.5 s:"
                + " met |", new OtherCheckers.ColdRow("fast mode, 8 directions", 5000, 0.98, 1.44, 0.52, 0.5, 1.5).markdown());
        assertEquals("| exhaustive: exact + finite differences | 200 | 0.500 | 0.900 | 0.300 | ×1.67 | ≤ ×2: met |",
                new OtherCheckers.ColdRow("exhaustive: exact + finite differences", 200, 0.5, 0.9, 0.3, 2, Double.NaN)
                        .markdown());
        assertEquals("| exhaustive: exact + finite differences | 200 | 0.500 | 0.900 | - | - | ≤ ×2: not measured |",
                new OtherCheckers.ColdRow("exhaustive: exact + finite differences", 200, 0.5, 0.9, Double.NaN, 2,
                        Double.NaN).markdown());
    }

    @Test
    void aColdRunReadsTheChecksOwnSecondsAndSaysWhenItCannotRun() throws IOException {
        Path launcher = executable("gradproof", "echo 'ok    ex4: pass (expected pass), 1.25 s'; echo '1 passed'");
        List<String> notes = new ArrayList<>();
        ColdCheck c = ColdCheck.median(launcher, dir.resolve("x.yaml"), 3, java.util.Map.of(), Duration.ofSeconds(20), notes,
                line -> { });
        assertEquals(1.25, c.report(), 0.0);
        assertTrue(c.process() > 0 && c.process() < 20, () -> "process " + c.process());
        assertTrue(notes.isEmpty(), notes::toString);
        Path failing = executable("broken", "echo 'FAIL  ex4: mismatch (expected pass), 1.25 s'; exit 1");
        assertEquals(ColdCheck.NONE, ColdCheck.median(failing, dir.resolve("x.yaml"), 3, java.util.Map.of(),
                Duration.ofSeconds(20), notes, line -> { }));
        assertEquals(ColdCheck.NONE, ColdCheck.median(dir.resolve("absent"), dir.resolve("x.yaml"), 1, java.util.Map.of(),
                Duration.ofSeconds(20), notes, line -> { }));
        assertEquals(2, notes.size(), notes::toString);
        assertTrue(notes.get(0).startsWith("cold run of x.yaml: failed: "), notes.get(0));
        assertTrue(notes.get(1).startsWith("cold runs: skipped: " + dir.resolve("absent") + " not found"), notes.get(1));
    }

    private Path existingScript() throws IOException {
        return Files.writeString(dir.resolve("script.py"), "");
    }

    private Path executable(String name, String body) throws IOException {
        Path p = Files.writeString(dir.resolve(name), "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    static OtherCheckers.Options options(List<String> pythons, Path script, Path dl4j) {
        return new OtherCheckers.Options(10, 20, 10, 1, Duration.ofSeconds(1), pythons, script, dl4j, Path.of("gradproof"), 1);
    }
}
