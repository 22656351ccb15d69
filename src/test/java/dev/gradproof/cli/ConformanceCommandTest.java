package dev.gradproof.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void aGradientExactlyNTimesTheSpecsIsTheBatchSumConventionAndNoOtherFactorIs() {
        String impl = "java:" + ScaledGradientNetworks.class.getName() + "$";
        Cli.Result r = Cli.run("conformance", "specs/softmax-cross-entropy.yaml", "--impl", "summed=" + impl + "BatchSummed",
                "--impl", "doubled=" + impl + "Doubled", "--impl", "nearly=" + impl + "NearlyBatchSummed",
                "--impl", "partly=" + impl + "BatchSummedButTheLastBiases");

        assertEquals(1, r.exit(), r.all());   // the three that are not the convention are mismatches
        String[] cells = r.out().lines().filter(l -> l.startsWith("| softmax-cross-entropy |")).findFirst().orElseThrow()
                .split(" \\| ");
        assertEquals("pass", cells[2], r.out());
        assertEquals("convention: gradient summed over the batch, loss averaged (analytic = N × exact, N = 40, at all "
                + "255 parameter-trials to within N × rounding)", cells[3], r.out());
        assertTrue(cells[4].startsWith("mismatch: analytic/exact = 2.00000 "), cells[4]);
        assertTrue(cells[5].startsWith("mismatch: analytic/exact = 40.0000 (spread "), cells[5]);
        assertTrue(cells[6].startsWith("mismatch: "), cells[6]);
        assertFalse(cells[6].contains("convention"), cells[6]);
    }

    @Test
    void aForwardDifferenceNamesTheFactorItsLossDiffersBy() {
        Cli.Result r = Cli.run("conformance", "specs/sigmoid-2-2-1.yaml", "--impl",
                "no half=java:" + ScaledGradientNetworks.class.getName() + "$WithoutTheHalf");
        assertEquals(0, r.exit(), r.all());
        assertEquals("| sigmoid-2-2-1 | `dense sigmoid, dense sigmoid; squared_error` | pass | convention: loss and gradient "
                + "×2: its squared error has no ½ (the spec's is ½(a−y)²) |",
                r.out().lines().filter(l -> l.startsWith("| sigmoid-2-2-1 |")).findFirst().orElseThrow(), r.all());
    }

    @Test
    void outWritesTheTableWithTheCommandDateDurationAndMachineThatMadeIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("table.md");
        Cli.Result r = Cli.run("conformance", "specs/sigmoid-2-2-1.yaml", "--impl", "numpy it=examples/numpy/net",
                "--out", file.toString());

        assertEquals(0, r.exit(), r.all());
        String written = Files.readString(file);
        assertEquals(r.out(), written);
        String heading = written.lines().findFirst().orElseThrow();
        assertTrue(heading.matches("Conformance on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC, 1 spec, 2 implementations, "
                + "\\d+ s: `gradproof conformance specs/sigmoid-2-2-1.yaml --impl 'numpy it=examples/numpy/net' --out "
                + java.util.regex.Pattern.quote(file.toString()) + "` \\(Java 17[^,]*, \\d+ cores?, .+\\)"), heading);
        assertTrue(written.contains("\n\n| spec | layers | reference | numpy it |\n"), written);
        assertTrue(r.err().contains("gradproof conformance: wrote " + file), r.err());
    }

    @Test
    void outIntoAFolderThatIsNotThereIsAUsageErrorBeforeAnythingRuns(@TempDir Path dir) {
        Path file = dir.resolve("no-such-folder").resolve("table.md");
        Cli.Result r = Cli.run("conformance", "specs/sigmoid-2-2-1.yaml", "--out", file.toString());
        assertEquals(2, r.exit(), r.all());
        assertEquals("gradproof conformance: --out " + file + ": its folder does not exist; give a file in an existing "
                + "folder", r.err().strip());
        assertEquals("", r.out());
    }

    @Test
    void theHeadingQuotesAnArgumentOnlyWhenAShellWouldNeedIt() {
        assertEquals("specs/layers", ConformanceCommand.quoted("specs/layers"));
        assertEquals("'PyTorch 2.7 (DJL)=java:x'", ConformanceCommand.quoted("PyTorch 2.7 (DJL)=java:x"));
        assertEquals("'it'\\''s'", ConformanceCommand.quoted("it's"));
    }

    @Test
    void aColumnWithoutANameIsAUsageError() {
        Cli.Result r = Cli.run("conformance", "specs/sigmoid-2-2-1.yaml", "--impl", "examples/numpy/net");
        assertEquals(2, r.exit());
        assertEquals("gradproof conformance: --impl: expected NAME=IMPL, got 'examples/numpy/net'", r.err().strip());
    }

    @Test
    void theDjlColumnIsThereByDefaultAndSaysHowToBuildItWhenItIsNot() {
        Cli.Result r = Cli.run("conformance", "specs/sigmoid-2-2-1.yaml");
        assertTrue(r.out().contains("| spec | layers | reference | numpy | PyTorch 1.13 | Deeplearning4j 1.0.0-M2.1 |"
                + " PyTorch 2.7 (DJL) |\n"), r.all());
        String row = r.out().lines().filter(l -> l.startsWith("| sigmoid-2-2-1 |")).findFirst().orElseThrow();
        String dl4jNotBuilt = "| not installed: build with adapters/dl4j/gradproof-dl4j --build |";
        assertEquals(!ConformanceCommand.dl4jBuilt(ConformanceCommand.DL4J_TARGET), row.contains(dl4jNotBuilt), row);
        // the root project's tests run before CI builds the adapter, a developer's after: both are pinned
        boolean built = ConformanceCommand.djlClasses(ConformanceCommand.DJL_TARGET).isPresent();
        assertTrue(row.endsWith(built ? "| pass |" : "| not installed: build with adapters/djl/gradproof-djl build |"),
                row);
    }

    @Test
    void aColumnNamingTheDjlClassRunsItFromTheAdaptersBuildAndShowsItsRefusals() {
        Cli.Result r = Cli.run("conformance", "specs/custom-softsign.yaml", "--impl", "DJL=java:dev.gradproof.djl.DjlNetwork");
        boolean built = ConformanceCommand.djlClasses(ConformanceCommand.DJL_TARGET).isPresent();
        String start = "| custom-softsign | `dense custom, dense identity; squared_error` | pass | ";
        assertEquals(start + (built ? "refused: DJL adapter: layer layer1 has a custom activation "
                        + "(x / (1 + abs(x))), an expression DJL has no operation for |"
                        : "not installed: build with adapters/djl/gradproof-djl build |"),
                r.out().lines().filter(l -> l.startsWith("| custom-softsign |")).findFirst().orElseThrow(), r.all());
    }

    @Test
    void djlClassesNeedTheAdapterJarAndItsLibraries(@TempDir Path target) throws IOException {
        assertFalse(ConformanceCommand.djlClasses(target).isPresent());
        Files.createDirectories(target.resolve("lib"));
        assertFalse(ConformanceCommand.djlClasses(target).isPresent(), "no adapter jar yet");
        Files.write(target.resolve("gradproof-djl-0.1.0-SNAPSHOT.jar"), new byte[0]);
        assertTrue(ConformanceCommand.djlClasses(target).isPresent());
    }
}
