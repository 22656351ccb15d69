package dev.gradproof.campaign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Nothing lost": what a run leaves behind survives interruption and concurrency, with the real CLI jar
 * in its own JVM ({@code java -jar target/gradproof.jar}; skipped when the jar has not been built, e.g.
 * {@code mvn -o package -DskipTests} builds it).
 * <ul>
 *   <li>SIGTERM while a slow spec (ng-ex4 with {@code parameters: all}, about 45 s on 2 cores) is being
 *       checked: reports/latest still names the previous complete run, byte for byte, and the interrupted
 *       run's report.json says {@code "complete": false} and holds the spec finished before the signal;</li>
 *   <li>two runs started at the same moment into the same reports folder: different run folders, both
 *       report.json complete, latest names one of them.</li>
 * </ul>
 * That the same seed gives the same report.json apart from timestamps and durations is
 * report.ReportWriterTest#sameSeedGivesTheSameReportApartFromTimes (and #seedFromTheSpecAlsoRepeats);
 * ReportWriterTest also covers the in-process side of partial reports and same-second run ids.
 */
@Timeout(120)
class NothingLostCampaign {

    static final Path JAR = Path.of("target", "gradproof.jar");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Path reports;
    Path quick;
    Path slow;

    @BeforeEach
    void specs() throws IOException {
        assumeTrue(Files.isRegularFile(JAR), "target/gradproof.jar not built; run `mvn -o package -DskipTests`");
        reports = tmp.resolve("reports");
        quick = tmp.resolve("sigmoid-2-2-1.yaml");
        Files.copy(Path.of("specs", "sigmoid-2-2-1.yaml"), quick);
        slow = tmp.resolve("ng-ex4-all.yaml");
        String ex4 = Files.readString(Path.of("specs", "ng-ex4.yaml"));
        assertTrue(ex4.contains("parameters: 300"), "ng-ex4.yaml changed: update this test");
        Files.writeString(slow, ex4.replace("parameters: 300", "parameters: all"));
    }

    private Process start(Path... specs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-jar", JAR.toString(), "check"));
        for (Path p : specs) {
            cmd.add(p.toString());
        }
        cmd.addAll(List.of("--reports", reports.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /** Collects a process's output lines in the background. */
    private static List<String> drain(Process p) {
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        }, "drain");
        t.setDaemon(true);
        t.start();
        return lines;
    }

    private List<Path> runFolders() throws IOException {
        if (!Files.isDirectory(reports)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(reports)) {
            return s.filter(p -> !Files.isSymbolicLink(p) && Files.isDirectory(p)).sorted().toList();
        }
    }

    @Test
    void sigtermKeepsLatestAndMarksTheInterruptedRunIncomplete() throws Exception {
        Process first = start(quick);
        List<String> firstOut = drain(first);
        assertTrue(first.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, first.exitValue(), () -> String.join("\n", firstOut));
        Path latest = reports.resolve("latest");
        Path previous = Files.readSymbolicLink(latest);
        byte[] previousReport = Files.readAllBytes(latest.resolve("report.json"));
        byte[] previousSummary = Files.readAllBytes(latest.resolve("summary.md"));

        Process run = start(quick, slow);
        List<String> out = drain(run);
        try {
            // Wait until the first spec is done (its line is printed) and the slow one is under way.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (out.stream().noneMatch(l -> l.contains("sigmoid-2-2-1:")) && System.nanoTime() < deadline) {
                assertTrue(run.isAlive(), () -> "the run ended early:\n" + String.join("\n", out));
                Thread.sleep(20);
            }
            assertEquals(2, runFolders().size(), "the interrupted run's folder exists");
            Thread.sleep(500);
            assertTrue(run.isAlive(), () -> "ng-ex4 with all parameters finished too soon:\n" + String.join("\n", out));
            run.destroy(); // SIGTERM: the shutdown hook writes the partial report
            assertTrue(run.waitFor(30, TimeUnit.SECONDS), "the JVM exits on SIGTERM");
        } finally {
            run.destroyForcibly();
        }
        Path interrupted = runFolders().stream().filter(p -> !p.getFileName().equals(previous.getFileName()))
                .findFirst().orElseThrow();

        // latest still names the previous complete run, whose files are untouched
        assertEquals(previous, Files.readSymbolicLink(latest));
        assertArrayEquals(previousReport, Files.readAllBytes(latest.resolve("report.json")));
        assertArrayEquals(previousSummary, Files.readAllBytes(latest.resolve("summary.md")));
        assertTrue(JSON.readTree(previousReport).get("complete").asBoolean());

        // the interrupted run says so, and keeps what was finished
        JsonNode partial = JSON.readTree(interrupted.resolve("report.json").toFile());
        assertEquals(false, partial.get("complete").asBoolean(), partial::toString);
        assertEquals(1, partial.get("specs").size(), partial::toString);
        assertEquals("sigmoid-2-2-1", partial.get("specs").get(0).get("name").asText());
        assertTrue(Files.isRegularFile(interrupted.resolve("summary.md")));
        try (Stream<Path> s = Files.list(interrupted)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
        Campaign.report("nothing-lost: SIGTERM during ng-ex4 (all parameters): exit %d, latest unchanged, "
                + "partial report complete=false with 1 finished spec", run.exitValue());
    }

    @Test
    void twoConcurrentRunsGetTheirOwnFoldersAndCompleteReports() throws Exception {
        Process a = start(quick);
        Process b = start(quick);
        List<String> outA = drain(a);
        List<String> outB = drain(b);
        assertTrue(a.waitFor(60, TimeUnit.SECONDS) && b.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, a.exitValue(), () -> String.join("\n", outA));
        assertEquals(0, b.exitValue(), () -> String.join("\n", outB));
        Path runA = reportOf(outA);
        Path runB = reportOf(outB);
        assertNotEquals(runA, runB);
        assertEquals(2, runFolders().size());
        for (Path run : List.of(runA, runB)) {
            JsonNode report = JSON.readTree(run.resolve("report.json").toFile());
            assertTrue(report.get("complete").asBoolean(), report::toString);
            assertEquals(1, report.get("specs").size());
            assertEquals(run.getFileName().toString(), report.get("run_id").asText());
        }
        Path latest = Files.readSymbolicLink(reports.resolve("latest"));
        assertTrue(latest.equals(runA.getFileName()) || latest.equals(runB.getFileName()), latest::toString);
        Campaign.report("nothing-lost: two concurrent runs: folders %s and %s, both complete", runA.getFileName(),
                runB.getFileName());
    }

    /**
     * SIGTERM after the complete report is written and latest moved, while the plots are still being drawn
     * (CheckCommand writes report.json, points latest at the run, prints "report: ...", draws the plots and
     * only then removes its shutdown hook).
     */
    @Test
    void sigtermWhileDrawingPlotsLeavesLatestComplete() throws Exception {
        Path big = tmp.resolve("dl4j.yaml");
        Files.copy(Path.of("specs", "reliability", "dl4j-false-alarm-400-25-10.yaml"), big);
        Process run = start(big);
        List<String> out = new CopyOnWriteArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                out.add(line);
                if (line.startsWith("report: ")) {
                    assumeTrue(run.isAlive(), "the plots were done before the signal: nothing to observe");
                    run.destroy();
                    break;
                }
            }
        } finally {
            assertTrue(run.waitFor(30, TimeUnit.SECONDS));
            run.destroyForcibly();
        }
        Path latest = reports.resolve("latest");
        JsonNode report = JSON.readTree(latest.resolve("report.json").toFile());
        assertTrue(report.get("complete").asBoolean(), () -> "latest -> " + latest + " says complete: false; output:\n"
                + String.join("\n", out));
    }

    /** The run folder from the "report: DIR/report.json (also ...)" line. */
    private static Path reportOf(List<String> out) {
        for (String line : out) {
            if (line.startsWith("report: ")) {
                String path = line.substring("report: ".length(), line.indexOf(" (also"));
                return Path.of(path).getParent();
            }
        }
        throw new AssertionError("no report line in:\n" + String.join("\n", out));
    }
}
