package dev.gradproof.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CheckCommandTest {

    private static final String TANH_BUG = "tanh with declared f'(x) = 1 - tanh(x) * tan(x)";
    /** ", max rel. error <number>, <seconds> s" at the end of a spec line; the numbers come from the computation. */
    private static final String NUMBERS_TAIL = ", max rel\\. error [0-9.e+-]+, \\d+\\.\\d{2} s";
    /** The same for a pass, which also says how close it came to its tolerance. */
    private static final String PASS_TAIL = ", max rel\\. error [0-9.e+-]+, max error \\d\\.\\de-\\d\\d of tolerance,"
            + " \\d+\\.\\d{2} s";

    @TempDir
    Path tmp;

    private static void assertNoStackTrace(Cli.Result r) {
        String all = r.all();
        assertFalse(all.contains("at dev."), all);
        assertFalse(all.contains("at java."), all);
        assertFalse(all.contains("Exception"), all);
        assertFalse(all.contains("internal error"), all);
    }

    private static void assertMatches(String regex, String actual) {
        assertTrue(Pattern.matches(regex, actual), () -> "expected to match\n  " + regex + "\nbut was\n  " + actual);
    }

    private Path spec(String fixture) {
        return Cli.copy(tmp.resolve("specs"), fixture).get(0);
    }

    // ---- exit 0 / 1 ----------------------------------------------------------------------------

    @Test
    void passingSpecExitsZeroWithOneLineAndTheClosingLine() {
        Path file = spec("pass.yaml");
        Cli.Result r = Cli.run("check", file.toString(), "--no-report");

        assertEquals(0, r.exit(), r.all());
        List<String> lines = r.outLines();
        assertEquals(2, lines.size(), r.out());
        assertMatches("ok    tanh-fixed: pass \\(expected pass\\), 3 trials x 31 parameters" + PASS_TAIL, lines.get(0));
        assertEquals("1 passed, 0 failed", lines.get(1));
        assertEquals("", r.err());
    }

    @Test
    void caughtBugInASpecExpectingPassExitsOneWithTheDetails() {
        Path file = spec("tanh-bug-expect-pass.yaml");
        Cli.Result r = Cli.run("check", file.toString(), "--no-report");

        assertEquals(1, r.exit(), r.all());
        List<String> lines = r.outLines();
        assertMatches("FAIL  tanh-bug-expect-pass: mismatch \\(expected pass\\), 3 trials x 31 parameters" + NUMBERS_TAIL,
                lines.get(0));
        assertMatches("  \\d+ of 93 parameter-trials mismatch, in layer 1 \\(" + Pattern.quote(TANH_BUG)
                + "\\) and layer 2 \\(" + Pattern.quote(TANH_BUG) + "\\)", lines.get(1));
        assertEquals("  layer   checked   mismatch  weights   biases  max rel.err       median  activation", lines.get(2));
        assertTrue(lines.contains("  parameter    trial     analytic        exact  finite diff    rel.error    tolerance"),
                r.out());
        String activation = "  layer 1 " + TANH_BUG + ": 40 of 41 grid points differ from the exact derivative; "
                + "first differs at tanh' at x=0.25: declared 0.937, exact 0.940; "
                + "wrong sign at tanh' at x=1.00: declared -0.186, exact 0.420; "
                + "worst at tanh' at x=4.75: declared 27.6, exact 0.000299";
        assertTrue(lines.contains(activation), r.out());
        assertEquals("0 passed, 1 failed", r.lastOutLine());
        assertEquals("", r.err());
        assertNoStackTrace(r);
    }

    @Test
    void trialsOptionOverridesTheSpec() {
        Path file = spec("pass.yaml");
        Cli.Result r = Cli.run("check", file.toString(), "--no-report", "--trials", "1");

        assertEquals(0, r.exit(), r.all());
        assertMatches("ok    tanh-fixed: pass \\(expected pass\\), 1 trial x 31 parameters" + PASS_TAIL, r.outLines().get(0));
    }

    // ---- malformed specs: exit 2, one line naming file:line:column and field, no stack trace ----

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "negative-units.yaml     | negative-units     | :8:14: network.layers[1].units: expected a positive integer, got -3",
        "unknown-nested-key.yaml | unknown-nested-key | :7:7: network.layers[0]: unknown key 'activaton' (did you mean 'activation'?); allowed: units, activation, bias, frozen",
        "unknown-key.yaml        | unknown-key        | :12:1: unknown key 'sede' (did you mean 'seed'?); allowed: name, description, network, loss, data, weights, check, seed, expect, implementation",
        "bad-syntax.yaml         | bad-syntax         | \":6:1: invalid YAML: expected ',' or ']', but got <scalar> (while parsing a flow sequence)\"",
    })
    void malformedSpecExitsTwoWithTheExactOneLineMessage(String fixture, String name, String where) {
        Path file = spec(fixture);
        Cli.Result r = Cli.run("check", file.toString(), "--no-report");

        assertEquals(2, r.exit(), r.all());
        assertEquals(List.of(
                "FAIL  " + name + ": error (expected pass), 0.00 s",
                "  error: " + file + where,
                "0 passed, 1 failed"), r.outLines());
        assertEquals("", r.err());
        assertNoStackTrace(r);
    }

    @Test
    void malformedSpecWinsOverAMismatchForTheExitStatus() {
        Cli.copy(tmp.resolve("specs"), "negative-units.yaml", "tanh-bug-expect-pass.yaml", "pass.yaml");
        Cli.Result r = Cli.run("check", tmp.resolve("specs").toString(), "--no-report");

        assertEquals(2, r.exit(), r.all());
        assertEquals("1 passed, 2 failed", r.lastOutLine());
        assertNoStackTrace(r);
    }

    // ---- expect: error ---------------------------------------------------------------------------

    @Test
    void expectedSpecErrorThatMatchesExitsZero() {
        Path file = spec("expect-error.yaml");
        Cli.Result r = Cli.run("check", file.toString(), "--no-report");

        assertEquals(0, r.exit(), r.all());
        assertEquals(List.of(
                "ok    expect-error: error (expected error), 0.00 s",
                "  error: " + file + ":6:14: network.layers[0].units: expected a positive integer, got -3",
                "1 passed, 0 failed"), r.outLines());
        assertEquals("", r.err());
    }

    @Test
    void expectedErrorIsReadEvenWhenTheYamlDoesNotParse() {
        Path file = spec("expect-error-syntax.yaml");
        Cli.Result r = Cli.run("check", file.toString(), "--no-report");

        assertEquals(0, r.exit(), r.all());
        assertEquals(List.of(
                "ok    expect-error-syntax: error (expected error), 0.00 s",
                "  error: " + file + ":5:5: invalid YAML: expected ',' or ']', but got : (while parsing a flow sequence)",
                "1 passed, 0 failed"), r.outLines());
    }

    @Test
    void expectedErrorWithAnotherMessageExitsTwo() {
        Path file = spec("expect-error-wrong-message.yaml");
        Cli.Result r = Cli.run("check", file.toString(), "--no-report");

        assertEquals(2, r.exit(), r.all());
        assertEquals(List.of(
                "FAIL  expect-error-wrong-message: error (expected error), 0.00 s",
                "  error: " + file + ":6:14: network.layers[0].units: expected a positive integer, got -3",
                "0 passed, 1 failed"), r.outLines());
    }

    @Test
    void expectedErrorThatDoesNotHappenExitsOne() {
        Path file = spec("expect-error-but-passes.yaml");
        Cli.Result r = Cli.run("check", file.toString(), "--no-report");

        assertEquals(1, r.exit(), r.all());
        assertMatches("FAIL  expect-error-but-passes: pass \\(expected error\\), 3 trials x 3 parameters" + PASS_TAIL,
                r.outLines().get(0));
        assertEquals("0 passed, 1 failed", r.lastOutLine());
    }

    // ---- paths -----------------------------------------------------------------------------------

    @Test
    void nonexistentPathExitsTwoWithAClearMessageAndChecksNothing() {
        Path good = spec("pass.yaml");
        Path missing = tmp.resolve("no-such.yaml");
        Cli.Result r = Cli.run("check", good.toString(), missing.toString(), "--reports", tmp.resolve("reports").toString());

        assertEquals(2, r.exit(), r.all());
        assertEquals("gradproof check: " + missing + ": no such file or folder\n", r.err());
        assertEquals("", r.out());
        assertFalse(Files.exists(tmp.resolve("reports")), "no report folder for a usage error");
        assertNoStackTrace(r);
    }

    @Test
    void emptyFolderExitsTwo() throws IOException {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        Cli.Result r = Cli.run("check", empty.toString(), "--no-report");

        assertEquals(2, r.exit(), r.all());
        assertEquals("gradproof check: no spec files (*.yaml, *.yml) in [" + empty + "]\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void folderWithOnlyHiddenSpecsAndOtherFilesCountsAsEmpty() throws IOException {
        Path dir = tmp.resolve("dir");
        Cli.copy(dir.resolve(".hidden"), "pass.yaml");
        Files.copy(Cli.fixture("pass.yaml"), dir.resolve(".dot.yaml"));
        Files.writeString(dir.resolve("notes.txt"), "not a spec");
        Cli.Result r = Cli.run("check", dir.toString(), "--no-report");

        assertEquals(2, r.exit(), r.all());
        // a hidden folder (.git and the like) is passed over quietly; a hidden spec file is named
        assertEquals("gradproof check: skipped " + dir.resolve(".dot.yaml") + ": a hidden file\n"
                + "gradproof check: no spec files (*.yaml, *.yml) in [" + dir + "]\n", r.err());
    }

    @Test
    void folderFindsYamlAndYmlInSubfoldersInOrder() throws IOException {
        Path dir = tmp.resolve("dir");
        Cli.copy(dir.resolve("b"), "pass.yaml");
        Files.copy(Cli.fixture("expect-error.yaml"), dir.resolve("a.yml"));
        Cli.Result r = Cli.run("check", dir.toString(), "--no-report");

        assertEquals(0, r.exit(), r.all());
        List<String> lines = r.outLines();
        assertEquals("ok    expect-error: error (expected error), 0.00 s", lines.get(0));
        assertTrue(lines.get(2).startsWith("ok    tanh-fixed: pass"), r.out());
        assertEquals("2 passed, 0 failed", r.lastOutLine());
    }

    // ---- options ---------------------------------------------------------------------------------

    @Test
    void helpListsTheOptions() {
        Cli.Result r = Cli.run("check", "--help");

        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().startsWith("Usage: gradproof check [-hV] [--allow-process] [--inherit-env] [--json] [--no-report]"),
                r.out());
        // 100 columns: descriptions are written as lines up to ~95 characters and wrap only beyond that.
        assertTrue(r.outLines().stream().allMatch(l -> l.length() <= 100), r.out());
        for (String option : List.of(
                "      --seed=N               Base seed for every spec (overrides the spec's 'seed').",
                "      --trials=N             Trials per spec (overrides 'check.trials').",
                "      --json                 Print report.json on standard output; the human summary goes to",
                "      --reports=DIR          Where run folders are written (default: reports).",
                "      --no-report            Do not write report files.",
                "      --allure-results=DIR   Also write the specs as Allure results into DIR (one result per spec,")) {
            assertTrue(r.outLines().contains(option), () -> "missing: " + option + "\n" + r.out());
        }
        assertTrue(r.out().contains("Exit status: 0 every spec met its 'expect'; 1 some did not; 2 a usage error or a"),
                r.out());
        assertEquals("", r.err());
    }

    @Test
    void helpDoesNotBreakAFileGlobAcrossLines() {
        Cli.Result r = Cli.run("check", "--help");
        assertFalse(r.out().contains("*.\n"), r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1"})
    void trialsBelowOneExitsTwoBeforeAnythingRuns(String trials) {
        Path file = spec("pass.yaml");
        Path reports = tmp.resolve("reports");
        Cli.Result r = Cli.run("check", file.toString(), "--trials", trials, "--reports", reports.toString());

        assertEquals(2, r.exit(), r.all());
        assertEquals("gradproof check: --trials must be at least 1, got " + trials + "\n", r.err());
        assertEquals("", r.out());
        assertFalse(Files.exists(reports), "no report folder for a usage error");
    }

    @Test
    void nonNumericTrialsIsAUsageError() {
        Cli.Result r = Cli.run("check", "--trials", "abc");

        assertEquals(2, r.exit(), r.all());
        assertEquals("Invalid value for option '--trials': 'abc' is not an int", r.errLines().get(0));
        assertEquals("", r.out());
        assertNoStackTrace(r);
    }

    @Test
    void unknownOptionIsAUsageError() {
        Cli.Result r = Cli.run("check", "--bogus");

        assertEquals(2, r.exit(), r.all());
        assertEquals("Unknown option: '--bogus'", r.errLines().get(0));
        assertEquals("", r.out());
    }

    // ---- closing line and report line ------------------------------------------------------------

    @Test
    void finalLineCountsPassedAndFailedSpecs() {
        Cli.copy(tmp.resolve("specs"), "pass.yaml", "tanh-bug.yaml", "tanh-bug-expect-pass.yaml", "expect-error.yaml");
        Cli.Result r = Cli.run("check", tmp.resolve("specs").toString(), "--no-report");

        assertEquals(1, r.exit(), r.all());
        assertEquals("3 passed, 1 failed", r.lastOutLine());
        List<String> specLines = r.outLines().stream().filter(l -> l.startsWith("ok    ") || l.startsWith("FAIL  ")).toList();
        assertEquals(4, specLines.size(), r.out());
    }

    @Test
    void reportLineNamesTheRunFolderThenTheClosingLineEndsTheOutput() throws IOException {
        Path file = spec("pass.yaml");
        Path reports = tmp.resolve("reports");
        Cli.Result r = Cli.run("check", file.toString(), "--reports", reports.toString());

        assertEquals(0, r.exit(), r.all());
        List<Path> runs;
        try (var list = Files.list(reports)) {
            runs = list.filter(p -> !p.getFileName().toString().equals("latest")).toList();
        }
        assertEquals(1, runs.size(), runs.toString());
        List<String> lines = r.outLines();
        assertEquals("report: " + runs.get(0).resolve("report.json") + " (also " + reports.resolve("latest") + "/)",
                lines.get(1));
        assertEquals("1 passed, 0 failed", r.lastOutLine());
        assertEquals(1, lines.stream().filter(l -> l.startsWith("report: ")).count(), r.out());
    }

    // ---- the real entry point --------------------------------------------------------------------

    @Test
    void mainRunReturnsTheSameExitStatuses() {
        Path pass = spec("pass.yaml");
        Path bug = Cli.copy(tmp.resolve("more"), "tanh-bug-expect-pass.yaml").get(0);
        assertEquals(0, Main.run("check", pass.toString(), "--no-report"));
        assertEquals(1, Main.run("check", bug.toString(), "--no-report"));
        assertEquals(2, Main.run("check", tmp.resolve("missing").toString(), "--no-report"));
        assertEquals(2, Main.run("check", "--trials", "0"));
    }

    @Test
    void usageWithoutASubcommandGoesToTheConfiguredOut() {
        Cli.Result r = Cli.run();
        assertTrue(r.out().startsWith("Usage: gradproof [-hV] [COMMAND]"), r.out());
    }

    @Test
    void reportsPathThatIsAFileGetsAReason() throws IOException {
        Path file = spec("pass.yaml");
        Path notADir = Files.writeString(tmp.resolve("reports"), "a file");
        Cli.Result r = Cli.run("check", file.toString(), "--reports", notADir.toString());

        assertEquals(2, r.exit(), r.all());
        String line = r.errLines().get(0);
        String lead = "gradproof check: cannot create a report folder under " + notADir + ": ";
        assertTrue(line.startsWith(lead), line);
        assertMatches(".*(not a (folder|directory)|exists).*", line.substring(lead.length()));
    }
}
