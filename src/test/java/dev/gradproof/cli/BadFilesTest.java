package dev.gradproof.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Files that are not what they claim (issue #11, items 6 and 8): a device, a pipe, a file far above the
 * size limit, and folders reached through symbolic links, loops among them. Each gets a message, none a
 * hang, an OutOfMemoryError or a silently skipped spec.
 */
@Timeout(60)
class BadFilesTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--max-units=0|--max-units must be at least 1, got 0",
            "--max-parameters=-1|--max-parameters must be at least 1, got -1",
            "--max-trials=0|--max-trials must be at least 1, got 0"})
    void aLimitBelowOneIsAUsageErrorNotAnInternalError(String option, String message) {
        Cli.Result r = Cli.run("check", Cli.fixture("pass.yaml").toString(), option, "--no-report");
        assertEquals(2, r.exit(), r::all);
        assertEquals("gradproof check: " + message, r.err().strip());
        assertEquals("", r.out());
    }

    @Test
    void aDeviceIsRefusedWithoutReadingIt() {
        Cli.Result r = Cli.run("check", "/dev/zero", "--no-report");
        assertEquals(2, r.exit(), r::all);
        assertEquals(List.of("FAIL  zero: error (expected pass), 0.00 s",
                "  error: /dev/zero: is not a regular file (a device, a pipe or a socket): spec files are read from disk only",
                "0 passed, 1 failed"), r.outLines());
    }

    @Test
    void aPipeIsRefusedWithoutBlockingOnIt() throws Exception {
        Path fifo = dir.resolve("spec.yaml");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Cli.Result r = Cli.run("check", fifo.toString(), "--no-report");
        assertEquals(2, r.exit(), r::all);
        assertEquals("  error: " + fifo + ": is not a regular file (a device, a pipe or a socket): spec files are read"
                + " from disk only", r.outLines().get(1));
    }

    @Test
    void aHugeFileIsRefusedBeforeItIsRead() throws IOException {
        Path huge = dir.resolve("huge.yaml");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(3L << 30); // sparse: 3 GiB claimed, nothing written
        }
        Cli.Result r = Cli.run("check", huge.toString(), "--no-report");
        assertEquals(2, r.exit(), r::all);
        assertEquals("  error: " + huge + ": 3,221,225,472 bytes exceed the limit of 1,048,576 bytes for a spec file",
                r.outLines().get(1));
    }

    @Test
    void aLinkedFolderIsCheckedAndLoopsDanglingLinksAndDuplicatesAreListed() throws IOException {
        Path real = Files.createDirectories(dir.resolve("real"));
        Path top = Files.createDirectories(dir.resolve("top"));
        Files.copy(Cli.fixture("tanh-bug-expect-pass.yaml"), real.resolve("tanh-bug-expect-pass.yaml"));
        Files.copy(Cli.fixture("pass.yaml"), top.resolve("pass.yaml"));
        Files.createSymbolicLink(top.resolve("linked"), Path.of("../real"));
        Files.createSymbolicLink(top.resolve("loop"), Path.of(".."));
        Files.createSymbolicLink(top.resolve("dangling.yaml"), dir.resolve("nothing-here.yaml"));
        Cli.Result r = Cli.run("check", top.toString(), "--no-report");
        assertEquals(1, r.exit(), "the linked folder's failing spec ran: " + r.all());
        assertTrue(r.outLines().get(0).startsWith("FAIL  tanh-bug-expect-pass: mismatch (expected pass)"), r::all);
        assertEquals("1 passed, 1 failed", r.lastOutLine());
        assertEquals(List.of(
                "gradproof check: skipped " + top.resolve("dangling.yaml") + ": a symbolic link to nothing",
                "gradproof check: skipped " + top.resolve("loop/top") + ": a symbolic link back into a folder already"
                        + " searched (a loop)",
                "gradproof check: skipped " + top.resolve("loop/real/tanh-bug-expect-pass.yaml") + ": the same file as "
                        + top.resolve("linked/tanh-bug-expect-pass.yaml") + " (through a symbolic link)"),
                r.errLines());
    }
}
