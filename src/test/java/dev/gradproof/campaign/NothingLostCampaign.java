package dev.gradproof.campaign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gradproof.cli.Main;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Nothing lost": what a run leaves behind survives interruption and concurrency, with the real CLI in
 * its own JVM ({@code java -cp <this test run's class path> dev.gradproof.cli.Main}, so it runs from a
 * clean checkout in {@code mvn test}, before any jar is built; it fails, never skips, when what it needs
 * is missing).
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

    static final ObjectMapper JSON = new ObjectMapper();
    /** In the arguments of the children the process case starts, to find any that survives. */
    static final String MARKER = "--nothing-lost=" + UUID.randomUUID();

    @TempDir
    Path tmp;
    Path reports;
    Path quick;
    Path slow;

    @BeforeEach
    void specs() throws Exception {
        Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(List.of(System.getProperty("java.class.path").split(File.pathSeparator)).stream()
                        .anyMatch(e -> Path.of(e).toAbsolutePath().equals(classes.toAbsolutePath())),
                () -> "the class path of this test run (" + System.getProperty("java.class.path") + ") lacks " + classes
                        + ", where dev.gradproof.cli.Main is");
        reports = tmp.resolve("reports");
        quick = tmp.resolve("sigmoid-2-2-1.yaml");
        Files.copy(Path.of("specs", "sigmoid-2-2-1.yaml"), quick);
        slow = tmp.resolve("ng-ex4-all.yaml");
        String ex4 = Files.readString(Path.of("specs", "ng-ex4.yaml"));
        assertTrue(ex4.contains("parameters: 300"), "ng-ex4.yaml changed: update this test");
        Files.writeString(slow, ex4.replace("parameters: 300", "parameters: all"));
    }

    private Process start(Path... specs) throws IOException {
        return start(List.of(), specs);
    }

    /** {@code gradproof check SPECS --reports REPORTS OPTIONS} in a JVM of its own. */
    private Process start(List<String> options, Path... specs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "check"));
        for (Path p : specs) {
            cmd.add(p.toString());
        }
        cmd.addAll(List.of("--reports", reports.toString()));
        cmd.addAll(options);
        if (sigintIgnored()) {
            // Started in the background by a shell without job control (`.ci/run &`), this JVM and so its children
            // ignore SIGINT, and a JVM that starts with SIGINT ignored never handles it. The child gets the default
            // back (an exec keeps a default disposition, never a handler), so SIGINT is tested wherever this runs.
            cmd.addAll(0, List.of("python3", "-c",
                    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])"));
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /** Whether this process ignores SIGINT (Linux: bit 1 of SigIgn in /proc/self/status). */
    private static boolean sigintIgnored() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & 2L) != 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    /** A thread dump of a JVM that did not end (jstack beside this JVM's java). */
    private static String threads(Process run) {
        try {
            Process jstack = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstack").toString(),
                    Long.toString(run.pid())).redirectErrorStream(true).start();
            String dump = new String(jstack.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            jstack.waitFor(30, TimeUnit.SECONDS);
            return dump;
        } catch (IOException | InterruptedException e) {
            return "(no thread dump: " + e + ")";
        }
    }

    /** Collects a process's output lines in the background. */
    private static List<String> drain(Process p) {
        return reader(p).lines();
    }

    /** A process's output lines, collected in the background until its end of stream. */
    record Output(List<String> lines, Thread thread) {
        /** Every line, once the stream has ended (the process must have exited). */
        String all() throws InterruptedException {
            thread.join(10_000);
            return String.join("\n", lines);
        }
    }

    private static Output reader(Process p) {
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
        return new Output(lines, t);
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

    /**
     * Issue #11, item 5: SIGTERM or SIGINT while a child computes. Before the fix, within six tries: latest
     * moved to the interrupted run; report.json said complete with a false error "exited with code 137"
     * (the child killed by the shutdown hook, recorded as the implementation's crash); latest named a
     * complete: false run; "internal error: IllegalStateException: Shutdown in progress".
     */
    @Test
    @Timeout(600)
    void interruptingAProcessImplementationKeepsEveryPromise() throws Exception {
        assertTrue(python3(), "python3 is needed on PATH for the fake child");
        Process first = start(quick);
        List<String> firstOut = drain(first);
        assertTrue(first.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, first.exitValue(), () -> String.join("\n", firstOut));
        Path latest = reports.resolve("latest");
        Path previous = Files.readSymbolicLink(latest);
        byte[] previousReport = Files.readAllBytes(latest.resolve("report.json"));

        Path pidFile = tmp.resolve("child.pid");
        Path busy = tmp.resolve("busy-child.yaml");
        Files.writeString(busy, Files.readString(quick).replace("name: sigmoid-2-2-1", "name: busy-child")
                + "\nimplementation: {process: \"python3 " + Path.of("src/test/resources/external/sleep_in_evaluate.py")
                .toAbsolutePath() + " " + pidFile + " " + MARKER + "\"}\n");
        int tries = Campaign.isLong() ? 24 : 4;
        Random random = new Random(11);
        for (int t = 0; t < tries; t++) {
            boolean sigint = t % 2 == 1;
            Files.deleteIfExists(pidFile);
            List<Path> before = runFolders();
            Process run = start(List.of("--allow-process"), quick, busy);
            Output output = reader(run);
            List<String> out = output.lines();
            long child = -1;
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Files.exists(pidFile) && System.nanoTime() < deadline) {
                    assertTrue(run.isAlive(), () -> "the run ended early:\n" + String.join("\n", out));
                    Thread.sleep(5);
                }
                assertTrue(Files.exists(pidFile), () -> "the child never reached evaluate:\n" + String.join("\n", out));
                child = Long.parseLong(Files.readString(pidFile).trim());
                Thread.sleep(random.nextInt(300));   // anywhere in the wait for the child's answer
                signal(run, sigint);
                if (!run.waitFor(30, TimeUnit.SECONDS)) {
                    // The threads say where a shutdown waits (or, as once, that the signal never arrived: see start).
                    fail("the JVM exits on the signal (" + (sigint ? "SIGINT" : "SIGTERM") + ", try " + (t + 1)
                            + "); its threads:\n" + threads(run) + "\noutput:\n" + output.all());
                }
            } finally {
                run.destroyForcibly();
            }
            String all = output.all();
            String what = (sigint ? "SIGINT" : "SIGTERM") + ", try " + (t + 1) + " of " + tries + "; output:\n" + all;
            assertEquals(sigint ? 130 : 143, run.exitValue(), what);
            assertEquals(previous, Files.readSymbolicLink(latest), what);
            assertArrayEquals(previousReport, Files.readAllBytes(latest.resolve("report.json")), what);
            List<Path> created = new ArrayList<>(runFolders());
            created.removeAll(before);
            assertEquals(1, created.size(), what);
            JsonNode partial = JSON.readTree(created.get(0).resolve("report.json").toFile());
            assertEquals(false, partial.get("complete").asBoolean(), what + "\n" + partial);
            assertEquals(1, partial.get("specs").size(), what + "\n" + partial);
            assertEquals("sigmoid-2-2-1", partial.get("specs").get(0).get("name").asText(), what);
            try (Stream<Path> s = Files.list(created.get(0))) {
                assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
            }
            assertTrue(out.stream().anyMatch(l -> l.startsWith("gradproof check: interrupted; partial report (1 spec "
                    + "finished, \"complete\": false) in ")), what);
            for (String bad : List.of("busy-child", "exited with code", "Exception", "\tat ", "internal error")) {
                assertFalse(all.contains(bad), "'" + bad + "' in the output: " + what);
            }
            assertChildGone(child, what);
        }
        Campaign.report("nothing-lost: %d interruptions (SIGTERM and SIGINT in turn) of a process implementation busy in "
                + "evaluate: latest unchanged, partial report with the 1 finished spec, nothing invented, child gone", tries);
    }

    private static boolean python3() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "pass").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * SIGTERM or SIGINT through kill(1): Java cannot send SIGINT, and {@link Process#destroy()} closes our end
     * of the JVM's output, so what it prints on the way out would be lost.
     */
    private static void signal(Process run, boolean sigint) throws Exception {
        String name = sigint ? "-INT" : "-TERM";
        Process kill = new ProcessBuilder("kill", name, Long.toString(run.pid())).redirectErrorStream(true).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill " + name + " " + run.pid());
    }

    /** The child, and any process carrying this test's marker, gone within 5 s (a zombie counts as gone). */
    private static void assertChildGone(long pid, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<Long> alive = aliveWithMarker();
        while (!alive.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            alive = aliveWithMarker();
        }
        assertEquals(List.of(), alive, "processes of this test still running after " + what);
        assertTrue(pid > 0 && !alive.contains(pid));
    }

    private static List<Long> aliveWithMarker() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(MARKER)).orElse(false))
                .filter(p -> !zombie(p.pid())).map(ProcessHandle::pid).toList();
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state == 'Z' || state == 'X';
        } catch (IOException | RuntimeException e) {
            return true;   // gone
        }
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
     * (CheckCommand commits the report through RunRecorder, which points latest at the run, then prints
     * "report: ..." and draws the plots; the shutdown must leave a committed report alone).
     */
    @Test
    void sigtermWhileDrawingPlotsLeavesLatestComplete() throws Exception {
        Path big = tmp.resolve("saturated.yaml");
        Files.copy(Path.of("specs", "reliability", "saturated-sigmoid-400-25-10.yaml"), big);
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
