package dev.gradproof.bench;

import dev.gradproof.spec.SpecFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code bench --memory} reads (a /proc status, a GC log, the check's line) and the rows it prints. */
class PeakMemoryTest {

    /** The shape of a Linux /proc/PID/status, abridged, with values no real process had. */
    private static final String STATUS = """
            Name:\tjava
            Umask:\t0022
            State:\tS (sleeping)
            Pid:\t4242
            VmPeak:\t 8123456 kB
            VmSize:\t 8000000 kB
            VmHWM:\t  345678 kB
            VmRSS:\t  300001 kB
            Threads:\t19
            """;

    @Test
    void theHighWaterMarkIsReadFromAProcStatusText() {
        assertEquals("java", PeakMemory.statusField(STATUS, "Name"));
        assertEquals(OptionalLong.of(345678), PeakMemory.kilobytes(PeakMemory.statusField(STATUS, "VmHWM")));
        assertEquals(OptionalLong.of(300001), PeakMemory.kilobytes(PeakMemory.statusField(STATUS, "VmRSS")));
        // a kernel thread, or a process whose memory is gone, has no Vm lines
        assertNull(PeakMemory.statusField("Name:\tkworker/0:1\nState:\tI (idle)\n", "VmHWM"));
        assertEquals(OptionalLong.empty(), PeakMemory.kilobytes(null));
        assertEquals(OptionalLong.empty(), PeakMemory.kilobytes("12 MB"));
    }

    @Test
    void thePeakHeapIsTheLargestOccupancyBeforeACollectionOrAtExit() {
        List<String> log = List.of(
                "[0.003s][info][gc] Using G1",
                "[1.405s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 51M->38M(388M) 36.291ms",
                "[1.826s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 1G->28M(1200M) 25.327ms",
                "[1.900s][info][gc] GC(2) Concurrent Mark Cycle 12.000ms",
                "[4.287s][info][gc,heap,exit] Heap",
                "[4.287s][info][gc,heap,exit]  garbage-first heap   total 397312K, used 209807K [0x0000000687400000, 0x0000000800000000)",
                "[4.287s][info][gc,heap,exit]  Metaspace       used 6413K, committed 6656K, reserved 1114112K");
        assertEquals((1L << 30) / 1e6, PeakMemory.peakHeapMegabytes(log), 1e-9);
        // without the 1G collection, the heap at exit is the largest
        assertEquals(209807 * 1024 / 1e6, PeakMemory.peakHeapMegabytes(List.of(log.get(1), log.get(5))), 1e-9);
        assertEquals(51 * (1L << 20) / 1e6, PeakMemory.peakHeapMegabytes(List.of(log.get(1), log.get(6))), 1e-9);
        assertTrue(Double.isNaN(PeakMemory.peakHeapMegabytes(List.of("Error: Could not create the Java Virtual Machine."))));
    }

    @Test
    void theCheckLineGivesTheOutcomeAndTheNetworksParameters() {
        assertArrayEquals(new String[] {"ok", "pass", "10,285"}, PeakMemory.checkLine(List.of("gradproof: note",
                "ok    ng-ex4: pass (expected pass), 1 trial x 300 of 10,285 parameters, max rel. error 7.54e-15, 3.05 s",
                "1 passed, 0 failed")));
        assertArrayEquals(new String[] {"FAIL", "mismatch", "31"}, PeakMemory.checkLine(List.of(
                "FAIL  tanh: mismatch (expected pass), 3 trials x 31 parameters, max rel. error 1.96, 0.10 s")));
        assertArrayEquals(new String[] {"ok", "error", "0"}, PeakMemory.checkLine(List.of(
                "ok    loss-without-reduction: error (expected error), 0.00 s", "  error: specs/x.yaml:17:14: ...")));
        assertNull(PeakMemory.checkLine(List.of("gradproof check: no such file or folder: x.yaml")));
    }

    @Test
    void aRowIsMetUpToTwoGigabytesMissedAboveAndUnknownWhenNotMeasuredOrCutShort() {
        PeakMemory.Row small = new PeakMemory.Row("layers/lstm-last.yaml", 226, 8, 1.234, 301.4, 57.6, true, "ok: pass");
        assertEquals("| layers/lstm-last.yaml | 226 × 8 | 1.23 | 301 | 58 | met | ok: pass |", small.markdown());
        assertEquals("met", new PeakMemory.Row("a", 1, 1, 1, 2000, 1, true, "ok: pass").within());
        assertEquals("**missed**", new PeakMemory.Row("a", 1, 1, 1, 2000.5, 1, true, "ok: pass").within());
        // killed at the timeout: over the bound is known missed, under it is only a floor
        assertEquals("**missed**", new PeakMemory.Row("a", 1, 1, 1, 2500, 1, false, "killed").within());
        assertEquals("-", new PeakMemory.Row("a", 1, 1, 1, 300, 1, false, "killed").within());
        PeakMemory.Row unknown = new PeakMemory.Row("bad.yaml", 0, 0, 0.5, Double.NaN, Double.NaN, true, "exit 2");
        assertEquals("| bad.yaml | - | 0.50 | - | - | - | exit 2 |", unknown.markdown());
        assertEquals(PeakMemory.HEADER.lines().findFirst().orElseThrow().split("\\|").length,
                small.markdown().split("\\|").length, "one cell per column");
    }

    @Test
    void theBundledSpecsAreThoseCheckRunsByDefaultFilteredByPath() throws IOException {
        List<Path> all = SpecFiles.expand(List.of(Path.of("specs"))).files();
        assertEquals(all, PeakMemory.bundled(Path.of("specs"), null));
        List<Path> layers = PeakMemory.bundled(Path.of("specs"), "layers/");
        assertTrue(!layers.isEmpty() && layers.size() < all.size(), layers::toString);
        assertTrue(layers.stream().allMatch(p -> p.toString().contains("layers/")), layers::toString);
    }

    /**
     * The figure is the JVM's, not the launcher shell's: a launcher that execs a JVM which fills 200 MB
     * must show at least that much, where the shell alone has a few MB.
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void aLauncherThatExecsAJvmIsMeasuredAsThatJvm(@TempDir Path dir) throws IOException {
        Path specs = Files.createDirectories(dir.resolve("specs"));
        Files.copy(Path.of("specs/sigmoid-2-2-1.yaml"), specs.resolve("sigmoid-2-2-1.yaml"));
        Files.writeString(dir.resolve("Fill.java"), """
                public class Fill {
                    public static void main(String[] args) throws Exception {
                        byte[] b = new byte[200_000_000];
                        for (int i = 0; i < b.length; i += 4096) {
                            b[i] = 1;
                        }
                        System.out.println("ok    sigmoid-2-2-1: pass (expected pass), 3 trials x 9 parameters, 0.01 s");
                        Thread.sleep(500); // leave the poller time to read the filled process
                        System.out.println(b[4096]);
                    }
                }
                """);
        Path launcher = dir.resolve("gradproof");
        Files.writeString(launcher, "#!/usr/bin/env bash\n[[ \"$1\" == --version ]] && exit 0\n"
                + "exec java ${JAVA_OPTS:-} -Xmx1g " + dir.resolve("Fill.java") + "\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        PeakMemory.Options o = new PeakMemory.Options(specs, launcher, null, Duration.ofMinutes(2));

        PeakMemory.Row r = PeakMemory.measure(o, specs.resolve("sigmoid-2-2-1.yaml"), new java.util.ArrayList<>());

        assertTrue(r.rssMegabytes() >= 200, () -> r.markdown());
        assertTrue(r.heapMegabytes() >= 200, () -> r.markdown());
        assertEquals("sigmoid-2-2-1.yaml", r.spec());
        assertEquals(9, r.parameters());
        assertEquals(4, r.examples(), "the XOR table's four rows");
        assertEquals("ok: pass", r.check());
        assertEquals("met", r.within());
    }

    @Test
    void aMissingLauncherIsNamed(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> PeakMemory.run(
                new PeakMemory.Options(Path.of("specs"), dir.resolve("gradproof"), null, Duration.ofSeconds(5)), s -> { }));
        assertTrue(e.getMessage().contains("gradproof not found"), e.getMessage());
    }
}
