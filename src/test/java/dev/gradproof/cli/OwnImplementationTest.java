package dev.gradproof.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Check my own implementation against every bundled spec" (issue #13): under --impl a spec's declared
 * derivatives do not apply, so the run expects pass; refusals can be listed as skipped.
 */
class OwnImplementationTest {
    static final String NUMPY = "examples/numpy/net";
    static final String TANH_BUG = "specs/tanh-tutorial-bug.yaml";
    static final String SOFTSIGN = "specs/custom-softsign.yaml";
    static final String EXPECTING_PASS = "expecting pass for every spec: --impl replaces the spec's own network, so its"
            + " declared derivatives do not apply (--expect as-spec to keep each spec's expect)";
    static final String SOFTSIGN_REFUSED = "skip  custom-softsign: refused by the implementation: ValueError: activation"
            + " custom is not supported by net.py";
    static final String TAIL = ", max rel\\. error [0-9.e+-]+, \\d+\\.\\d{2} s";
    static final String PASS_TAIL = ", max rel\\. error [0-9.e+-]+, max error \\d\\.\\de-\\d\\d of tolerance,"
            + " \\d+\\.\\d{2} s";

    @TempDir
    Path tmp;

    private static void assertMatches(String regex, String actual) {
        assertTrue(Pattern.matches(regex, actual), () -> "expected to match\n  " + regex + "\nbut was\n  " + actual);
    }

    @Test
    void aCorrectImplementationPassesABugTwinSpecAndTheFirstLineSaysWhy() {
        Cli.Result r = Cli.run("check", TANH_BUG, "--no-report", "--impl", NUMPY);

        assertEquals(0, r.exit(), r.all());
        List<String> lines = r.outLines();
        assertEquals(EXPECTING_PASS, lines.get(0));
        assertMatches("ok    tanh-tutorial-bug: pass \\(expected pass\\), 3 trials x 31 parameters" + PASS_TAIL, lines.get(1));
        assertEquals(List.of("1 passed, 0 failed"), lines.subList(2, lines.size()), r.out());
    }

    @Test
    void expectAsSpecKeepsTheSpecsMismatchButPrintsNoActivationFinding() {
        Cli.Result r = Cli.run("check", TANH_BUG, "--no-report", "--impl", NUMPY, "--expect", "as-spec");

        assertEquals(1, r.exit(), r.all());
        List<String> lines = r.outLines();
        assertEquals("expecting each spec's own expect (--expect as-spec)", lines.get(0));
        assertMatches("FAIL  tanh-tutorial-bug: pass \\(expected mismatch\\), 3 trials x 31 parameters" + PASS_TAIL,
                lines.get(1));
        assertFalse(r.out().contains("grid points"), r.out());
        assertEquals("0 passed, 1 failed", r.lastOutLine());
    }

    @Test
    void expectChosenWithoutImplAppliesToTheReferenceToo() {
        Cli.Result r = Cli.run("check", TANH_BUG, "--no-report", "--expect", "pass");

        assertEquals(1, r.exit(), r.all());
        assertEquals("expecting pass for every spec (--expect pass)", r.outLines().get(0));
        assertMatches("FAIL  tanh-tutorial-bug: mismatch \\(expected pass\\), 3 trials x 31 parameters" + TAIL,
                r.outLines().get(1));
    }

    @Test
    void withoutImplOrExpectNothingIsAnnounced() {
        Cli.Result r = Cli.run("check", TANH_BUG, "--no-report");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.outLines().get(0).startsWith("ok    tanh-tutorial-bug: mismatch (expected mismatch)"), r.out());
    }

    @Test
    void anUnknownExpectIsAUsageError() {
        Cli.Result r = Cli.run("check", TANH_BUG, "--no-report", "--expect", "error");
        assertEquals(2, r.exit(), r.all());
        assertEquals("gradproof check: --expect error: expected as-spec, pass, mismatch or forward-differs",
                r.err().strip());
    }

    @Test
    void aSpecThatCannotBeReadKeepsItsOwnExpectation() {
        Cli.Result r = Cli.run("check", "specs/loss-without-reduction.yaml", "--no-report", "--impl", NUMPY);
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.outLines().get(1).startsWith("ok    loss-without-reduction: error (expected error)"), r.out());
    }

    @Test
    void withoutSkipRefusedARefusalIsAFailureWithItsReason() {
        Cli.Result r = Cli.run("check", SOFTSIGN, "--no-report", "--impl", NUMPY);

        assertEquals(1, r.exit(), r.all());
        assertTrue(r.outLines().get(1).startsWith("FAIL  custom-softsign: error (expected pass)"), r.out());
        assertEquals("  error: examples/numpy/net: refused hello: ValueError: activation custom is not supported by"
                + " net.py", r.outLines().get(2));
        assertEquals("0 passed, 1 failed", r.lastOutLine());
    }

    @Test
    void skipRefusedListsTheRefusedSpecsInTheConsoleReportAndSummary() throws IOException {
        Path reports = tmp.resolve("reports");
        Cli.Result r = Cli.run("check", "specs/tanh-tutorial-fixed.yaml", SOFTSIGN, "--reports", reports.toString(),
                "--impl", NUMPY, "--skip-refused");

        assertEquals(0, r.exit(), r.all());
        List<String> lines = r.outLines();
        assertEquals(EXPECTING_PASS, lines.get(0));
        assertTrue(lines.get(1).startsWith("ok    tanh-tutorial-fixed: pass (expected pass)"), r.out());
        assertEquals(SOFTSIGN_REFUSED, lines.get(2));
        assertEquals("1 passed, 0 failed, 1 skipped", r.lastOutLine());

        JsonNode report = new ObjectMapper().readTree(reports.resolve("latest/report.json").toFile());
        assertEquals(1, report.get("passed").asInt());
        assertEquals(0, report.get("failed").asInt());
        assertEquals(1, report.get("skipped").asInt());
        assertEquals(1, report.get("specs").size());
        JsonNode skipped = report.get("skipped_specs").get(0);
        assertEquals("custom-softsign", skipped.get("name").asText());
        assertEquals(SOFTSIGN, skipped.get("file").asText());
        assertEquals("refused by the implementation: ValueError: activation custom is not supported by net.py",
                skipped.get("reason").asText());

        String summary = Files.readString(reports.resolve("latest/summary.md"));
        assertTrue(summary.contains("**1 passed, 0 failed, 1 skipped**"), summary);
        assertTrue(summary.contains("## Skipped\n\n- custom-softsign: refused by the implementation: ValueError:"),
                summary);
    }

    @Test
    void aRunInWhichEverySpecWasRefusedIsAnError() {
        Cli.Result r = Cli.run("check", SOFTSIGN, "--no-report", "--impl", NUMPY, "--skip-refused");

        assertEquals(2, r.exit(), r.all());
        assertEquals(SOFTSIGN_REFUSED, r.outLines().get(1));
        assertEquals("0 passed, 0 failed, 1 skipped", r.lastOutLine());
        assertEquals("gradproof check: the implementation refused the spec: nothing was checked", r.err().strip());
    }

    @Test
    void aVersionOneChildOfferedALayerGraphIsSkippedWithTheReason() {
        Cli.Result r = Cli.run("check", "specs/layers/loss-l1.yaml", "specs/sigmoid-2-2-1.yaml", "--no-report",
                "--impl", NUMPY + " --protocol 1", "--skip-refused");

        assertEquals(0, r.exit(), r.all());
        assertTrue(r.outLines().get(1).startsWith("skip  loss-l1: refused by the implementation: needs protocol 2: "),
                r.out());
        assertEquals("1 passed, 0 failed, 1 skipped", r.lastOutLine());
    }

    @Test
    void aJavaImplementationRefusesWithUnsupportedOperationException() {
        String impl = "java:" + RefusingNetwork.class.getName();
        Cli.Result skipped = Cli.run("check", TANH_BUG, "specs/sigmoid-2-2-1.yaml", "--no-report", "--impl", impl,
                "--skip-refused");
        assertEquals(2, skipped.exit(), skipped.all());
        assertEquals("skip  tanh-tutorial-bug: refused by the implementation: only convolutions here",
                skipped.outLines().get(1));
        assertEquals("gradproof check: the implementation refused all 2 specs: nothing was checked",
                skipped.err().strip());

        Cli.Result failed = Cli.run("check", TANH_BUG, "--no-report", "--impl", impl);
        assertEquals(1, failed.exit(), failed.all());
        assertEquals("  error: RefusingNetwork threw UnsupportedOperationException: only convolutions here",
                failed.outLines().get(2));
    }
}
