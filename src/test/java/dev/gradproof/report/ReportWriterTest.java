package dev.gradproof.report;

import dev.gradproof.api.Verdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gradproof.cli.Main;
import dev.gradproof.spec.Expectation;

class ReportWriterTest {

    private static final Instant T0 = Instant.parse("2026-11-26T15:14:38.250Z");

    @TempDir
    Path tmp;

    private Path root() {
        return tmp.resolve("reports");
    }

    private static RunInfo complete(Path runDir) {
        return new RunInfo(runDir.getFileName().toString(), T0, T0.plusSeconds(2), true);
    }

    private static RunInfo partial(Path runDir) {
        return new RunInfo(runDir.getFileName().toString(), T0, T0.plusSeconds(1), false);
    }

    private static JsonNode json(Path file) throws IOException {
        return ReportJson.mapper().readTree(Files.readString(file));
    }

    private Path latest() {
        return root().resolve("latest");
    }

    private void assertLatestIs(Path runDir) throws IOException {
        assertTrue(Files.isSymbolicLink(latest()), "latest is a symbolic link");
        assertEquals(runDir.getFileName(), Files.readSymbolicLink(latest()), "relative link to the run folder");
        assertTrue(Files.isSameFile(runDir, latest()));
        assertEquals(runDir.getFileName().toString(), json(latest().resolve("report.json")).get("run_id").asText());
    }

    /** Every path under the report root, without following links. */
    private List<String> tree() throws IOException {
        try (Stream<Path> walk = Files.walk(root())) {
            return walk.map(p -> root().relativize(p).toString()).sorted().toList();
        }
    }

    // ---- layout ----------------------------------------------------------------------------------

    @Test
    void writesReportAndSummaryInTheRunFolderAndPointsLatestAtIt() throws IOException {
        ReportWriter writer = new ReportWriter(root());
        Path run = writer.newRun(T0);

        assertEquals(root(), run.getParent());
        String id = run.getFileName().toString();
        assertTrue(id.matches("20261126-151438-[0-9a-f]{4}"), id);
        assertTrue(Files.isDirectory(run));

        writer.write(run, complete(run), List.of(Results.pass("tanh-fixed")));

        JsonNode report = json(run.resolve("report.json"));
        assertEquals(id, report.get("run_id").asText());
        assertTrue(report.get("complete").asBoolean());
        assertEquals("tanh-fixed", report.get("specs").get(0).get("name").asText());
        assertTrue(Files.readString(run.resolve("report.json")).endsWith("}\n"));
        assertEquals("# gradproof run " + id + "\n\n"
                + "**1 passed, 0 failed**\n\n"
                + "| spec | expected | verdict | met | trials | parameters | max rel. error | kinks | inconclusive | time |\n"
                + "|---|---|---|---|---|---|---|---|---|---|\n"
                + "| tanh-fixed | pass | pass | yes | 3 | 31 | 1.06e-14 | 0 | 0 | 0.00 s |\n",
                Files.readString(run.resolve("summary.md")));
        assertLatestIs(run);
        assertEquals(List.of("", id, id + "/report.json", id + "/summary.md", "latest"), tree());
    }

    @Test
    void summaryDetailsAMismatch() throws IOException {
        ReportWriter writer = new ReportWriter(root());
        Path run = writer.newRun(T0);
        writer.write(run, complete(run), List.of(Results.tanhMismatch(Verdict.PASS, 12)));

        String md = Files.readString(run.resolve("summary.md"));
        assertTrue(md.contains("**0 passed, 1 failed**\n"), md);
        assertTrue(md.contains("| tanh-bug | pass | mismatch | **no** | 3 | 17 | 1.96 | 0 | 0 | 0.04 s |\n"), md);
        assertTrue(md.contains("\n## tanh-bug\n\nFile: `specs/tanh-bug.yaml`. Verdict **mismatch**, expected pass.\n\n```\n"
                + "12 of 51 parameter-trials mismatch, in layer 1 (" + Results.TANH_BUG + ")\n"
                + "layer   checked   mismatch  weights   biases  max rel.err       median  activation\n"), md);
        assertFalse(md.contains("more (see report.json)"), "summary.md shows up to 20 rows: " + md);
    }

    @Test
    void latestMovesToTheNewestCompleteRun() throws IOException {
        ReportWriter writer = new ReportWriter(root());
        Path first = writer.newRun(T0);
        writer.write(first, complete(first), List.of(Results.pass("a")));
        Path second = writer.newRun(T0.plusSeconds(5));
        writer.write(second, complete(second), List.of(Results.pass("b")));

        assertLatestIs(second);
        assertEquals("b", json(latest().resolve("report.json")).get("specs").get(0).get("name").asText());
    }

    @Test
    void partialRunDoesNotMoveLatest() throws IOException {
        ReportWriter writer = new ReportWriter(root());
        Path done = writer.newRun(T0);
        writer.write(done, complete(done), List.of(Results.pass("a")));
        Path interrupted = writer.newRun(T0.plusSeconds(5));
        writer.write(interrupted, partial(interrupted), List.of(Results.pass("b")));

        assertLatestIs(done);
        assertFalse(json(interrupted.resolve("report.json")).get("complete").asBoolean());
        String md = Files.readString(interrupted.resolve("summary.md"));
        assertTrue(md.startsWith("# gradproof run " + interrupted.getFileName() + "\n\n"
                + "**Partial report: the run did not finish.**\n\n**1 passed, 0 failed**\n\n"), md);
    }

    @Test
    void partialFirstRunCreatesNoLatest() throws IOException {
        ReportWriter writer = new ReportWriter(root());
        Path run = writer.newRun(T0);
        writer.write(run, partial(run), List.of());

        assertFalse(Files.exists(latest(), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(run.resolve("report.json")));
    }

    @Test
    void completingAPartialRunReplacesItsReportAndMovesLatest() throws IOException {
        ReportWriter writer = new ReportWriter(root());
        Path run = writer.newRun(T0);
        writer.write(run, partial(run), List.of(Results.pass("a")));
        writer.write(run, complete(run), List.of(Results.pass("a"), Results.pass("b")));

        assertLatestIs(run);
        JsonNode report = json(run.resolve("report.json"));
        assertTrue(report.get("complete").asBoolean());
        assertEquals(2, report.get("specs").size());
        assertFalse(Files.readString(run.resolve("summary.md")).contains("Partial report"));
    }

    @Test
    void latestAsARealFolderFromAnOlderLayoutIsReplacedByALink() throws IOException {
        Files.createDirectories(latest());
        Files.writeString(latest().resolve("report.json"), "{}");
        ReportWriter writer = new ReportWriter(root());
        Path run = writer.newRun(T0);
        writer.write(run, complete(run), List.of(Results.pass("a")));

        assertLatestIs(run);
    }

    // ---- run ids ---------------------------------------------------------------------------------

    @Test
    void runsStartedInTheSameSecondGetDifferentFolders() throws IOException {
        ReportWriter writer = new ReportWriter(root());
        Set<Path> runs = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            Path run = writer.newRun(T0.plusMillis(i % 700));
            assertTrue(runs.add(run), "folder handed out twice: " + run);
            assertTrue(run.getFileName().toString().startsWith("20261126-151438-"), run.toString());
        }
        assertEquals(500, tree().size() - 1);
    }

    @Test
    void concurrentRunsInTheSameSecondGetDifferentFolders() throws Exception {
        int threads = 8;
        int perThread = 50;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Path>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    ReportWriter writer = new ReportWriter(root()); // one per process, as separate CLI runs have
                    go.await();
                    List<Path> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        mine.add(writer.newRun(T0));
                    }
                    return mine;
                }));
            }
            go.countDown();
            Set<Path> all = new HashSet<>();
            for (Future<List<Path>> f : futures) {
                for (Path p : f.get()) {
                    assertTrue(all.add(p), "folder handed out twice: " + p);
                }
            }
            assertEquals(threads * perThread, all.size());
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- atomic writes ---------------------------------------------------------------------------

    @Test
    void noTemporaryFilesAreLeftBehind() throws IOException {
        ReportWriter writer = new ReportWriter(root());
        Path a = writer.newRun(T0);
        writer.write(a, partial(a), List.of(Results.pass("a")));
        writer.write(a, complete(a), List.of(Results.pass("a")));
        Path b = writer.newRun(T0);
        writer.write(b, complete(b), List.of(Results.tanhMismatch(Verdict.MISMATCH, 12)));
        ReportWriter.writeAtomically(b.resolve("summary.md"), "replaced\n");

        String ida = a.getFileName().toString();
        String idb = b.getFileName().toString();
        List<String> expected = new ArrayList<>(List.of("", ida, ida + "/report.json", ida + "/summary.md",
                idb, idb + "/report.json", idb + "/summary.md", "latest"));
        expected.sort(null);
        assertEquals(expected, tree());
        assertEquals("replaced\n", Files.readString(b.resolve("summary.md")));
    }

    @Test
    void reportFilesGetTheSamePermissionsAsAnyOtherNewFile() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        ReportWriter writer = new ReportWriter(root());
        Path run = writer.newRun(T0);
        writer.write(run, complete(run), List.of(Results.pass("a")));
        Set<PosixFilePermission> usual = Files.getPosixFilePermissions(Files.writeString(run.resolve("plain.txt"), "x"));

        assertEquals(usual, Files.getPosixFilePermissions(run.resolve("report.json")));
        assertEquals(usual, Files.getPosixFilePermissions(run.resolve("summary.md")));
    }

    // ---- determinism -----------------------------------------------------------------------------

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(ReportWriterTest.class.getResource("/cli/" + name).toURI());
    }

    /** Runs the real CLI on the fixtures with its own report root; returns report.json with the timing keys removed. */
    private JsonNode runAndStrip(String reportsName, String seed) throws Exception {
        Path specs = tmp.resolve("specs");
        if (!Files.exists(specs)) {
            Files.createDirectories(specs);
            for (String f : List.of("tanh-bug.yaml", "pass.yaml", "relu-sampled.yaml", "expect-error.yaml")) {
                Files.copy(fixture(f), specs.resolve(f));
            }
        }
        Path reports = tmp.resolve(reportsName);
        assertEquals(0, Main.run("check", specs.toString(), "--seed", seed, "--reports", reports.toString()));
        ObjectNode root = (ObjectNode) json(reports.resolve("latest").resolve("report.json"));
        for (String key : List.of("run_id", "started", "finished")) {
            assertTrue(root.has(key), key);
            root.remove(key);
        }
        for (JsonNode spec : root.get("specs")) {
            assertTrue(spec.has("seconds"));
            ((ObjectNode) spec).remove("seconds");
        }
        return root;
    }

    @Test
    void sameSeedGivesTheSameReportApartFromTimes() throws Exception {
        JsonNode first = runAndStrip("reports-1", "5");
        JsonNode second = runAndStrip("reports-2", "5");
        assertEquals(first, second);

        JsonNode relu = first.get("specs").get(2);
        assertEquals("relu-sampled", relu.get("name").asText());
        assertEquals(40, relu.get("parameters_sampled").size(), "the sample is part of what must repeat");
        assertEquals(5, relu.get("seed").asLong());

        JsonNode other = runAndStrip("reports-3", "6");
        assertNotEquals(first, other, "a different seed draws different weights, so the comparison can fail");
    }

    @Test
    void seedFromTheSpecAlsoRepeats() throws Exception {
        Path spec = tmp.resolve("one");
        Files.createDirectories(spec);
        Files.copy(fixture("tanh-bug.yaml"), spec.resolve("tanh-bug.yaml"));
        List<JsonNode> runs = new ArrayList<>();
        for (String reports : List.of("r1", "r2")) {
            assertEquals(0, Main.run("check", spec.toString(), "--reports", tmp.resolve(reports).toString()));
            ObjectNode s = (ObjectNode) json(tmp.resolve(reports).resolve("latest/report.json")).get("specs").get(0);
            s.remove("seconds");
            runs.add(s);
        }
        assertEquals(runs.get(0), runs.get(1));
        assertEquals(7, runs.get(0).get("seed").asLong());
    }
}
