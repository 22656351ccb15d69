package dev.gradproof.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #11, item 9, on the command line: a spec's {@code process:} starts only with --allow-process
 * or from the trusted-commands file (--trust, or -Dgradproof.trust as ./gradproof passes it); --impl
 * needs neither.
 */
class ProcessPermissionCliTest {
    private static final String NUMPY_SPEC = "specs/external/numpy/numpy-tanh-tutorial.yaml";

    @TempDir
    Path tmp;

    /** sigmoid-2-2-1 renamed "stranger", naming a program that leaves pwned.txt behind if it runs. */
    private Path stranger() throws IOException {
        Path spec = tmp.resolve("stranger.yaml");
        Files.writeString(spec, Files.readString(Path.of("specs/sigmoid-2-2-1.yaml"))
                .replace("name: sigmoid-2-2-1", "name: stranger") + "implementation: {process: \"" + pwn() + "\"}\n");
        return spec;
    }

    private String pwn() {
        return "bash -c 'id > " + tmp.resolve("pwned.txt") + "'";
    }

    @Test
    void aStrangersProgramIsRefusedWithHowToAllowIt() throws IOException {
        Path spec = stranger();
        Cli.Result r = Cli.run("check", spec.toString(), "--no-report");
        assertEquals(1, r.exit(), r.all());
        assertEquals("FAIL  stranger: error (expected pass), 0.00 s", r.outLines().get(0));
        assertEquals("  error: " + spec + ":26:27: implementation.process: " + pwn() + " was not started: a spec file runs a "
                + "program only with your permission, and no trusted-commands file was named. Read the spec, then run with "
                + "--allow-process, or add the command to a trusted-commands file named with --trust FILE "
                + "(docs/PROTOCOL.md, \"Security\")", r.outLines().get(1));
        assertFalse(Files.exists(tmp.resolve("pwned.txt")), "the program did not run");
    }

    @Test
    void theRepositorysTrustFileDoesNotTrustAStranger() throws IOException {
        Path spec = stranger();
        Cli.Result r = Cli.run("check", spec.toString(), "--no-report", "--trust", "trusted-commands");
        assertEquals(1, r.exit(), r.all());
        assertTrue(r.outLines().get(1).contains(" was not started: a spec file runs a program only with your permission, "
                + "and this one is not in trusted-commands. Read the spec"), r.all());
        assertFalse(Files.exists(tmp.resolve("pwned.txt")));
    }

    @Test
    void allowProcessStartsIt() throws IOException {
        Cli.Result r = Cli.run("check", stranger().toString(), "--no-report", "--allow-process");
        assertEquals(1, r.exit(), r.all());
        assertEquals("  error: " + pwn() + ": exited with code 0 before answering hello", r.outLines().get(1));
        assertTrue(Files.exists(tmp.resolve("pwned.txt")), "it ran");
    }

    @Test
    void theBundledNumpySpecRunsWithTheRepositorysTrustFile() {
        Cli.Result refused = Cli.run("check", NUMPY_SPEC, "--no-report");
        assertEquals(1, refused.exit(), refused.all());
        assertTrue(refused.out().contains("examples/numpy/net was not started"), refused.all());
        Cli.Result trusted = Cli.run("check", NUMPY_SPEC, "--no-report", "--trust", "trusted-commands");
        assertEquals(0, trusted.exit(), trusted.all());
        assertTrue(trusted.out().startsWith("ok    numpy-tanh-tutorial: pass (expected pass)"), trusted.all());
    }

    @Test
    void theTrustFileCanComeFromTheSystemPropertyAsTheLauncherPassesIt() {
        System.setProperty(CheckCommand.TRUST_PROPERTY, Path.of("trusted-commands").toAbsolutePath().toString());
        try {
            Cli.Result r = Cli.run("check", NUMPY_SPEC, "--no-report");
            assertEquals(0, r.exit(), r.all());
        } finally {
            System.clearProperty(CheckCommand.TRUST_PROPERTY);
        }
    }

    @Test
    void aTrustFileCopiedElsewhereTrustsThatFoldersProgramsNotOurs() throws IOException {
        Path copy = Files.copy(Path.of("trusted-commands"), tmp.resolve("trusted-commands"));
        Cli.Result r = Cli.run("check", NUMPY_SPEC, "--no-report", "--trust", copy.toString());
        assertEquals(1, r.exit(), r.all());
        assertTrue(r.out().contains("examples/numpy/net was not started: a spec file runs a program only with your "
                + "permission, and " + copy + ":14 trusts " + tmp.resolve("examples/numpy/net") + ", but the spec runs "
                + Path.of("examples/numpy/net").toAbsolutePath() + ". Read the spec"), r.all());
    }

    @Test
    void implNeedsNoPermission() {
        Cli.Result r = Cli.run("check", "specs/tanh-tutorial-fixed.yaml", "--no-report", "--impl", "examples/numpy/net");
        assertEquals(0, r.exit(), r.all());
    }

    @Test
    void aMissingOrBrokenTrustFileIsAUsageError() throws IOException {
        Path missing = tmp.resolve("nowhere");
        Cli.Result r = Cli.run("check", NUMPY_SPEC, "--no-report", "--trust", missing.toString());
        assertEquals(2, r.exit(), r.all());
        assertEquals("gradproof check: trusted-commands file " + missing + ": no such file or folder", r.err().strip());
        Path broken = tmp.resolve("broken");
        Files.writeString(broken, "# fine\nexamples/numpy/net 'oops\n");
        r = Cli.run("check", NUMPY_SPEC, "--no-report", "--trust", broken.toString());
        assertEquals(2, r.exit(), r.all());
        assertEquals("gradproof check: " + broken + ":2: unterminated ' quote in command: examples/numpy/net 'oops",
                r.err().strip());
        r = Cli.run("check", NUMPY_SPEC, "--no-report", "--trust", tmp.toString());
        assertEquals(2, r.exit(), r.all());
        assertEquals("gradproof check: " + tmp + ": a folder, not a trusted-commands file", r.err().strip());
        Files.write(broken, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        r = Cli.run("check", NUMPY_SPEC, "--no-report", "--trust", broken.toString());
        assertEquals(2, r.exit(), r.all());
        assertEquals("gradproof check: " + broken + ": not a text file (UTF-8)", r.err().strip());
    }

    @Test
    void aMissingFileNamedByTheSystemPropertySaysWhereItsNameCameFrom() {
        Path missing = tmp.resolve("nowhere");
        System.setProperty(CheckCommand.TRUST_PROPERTY, missing.toString());
        try {
            Cli.Result r = Cli.run("check", NUMPY_SPEC, "--no-report");
            assertEquals(2, r.exit(), r.all());
            assertEquals("gradproof check: trusted-commands file " + missing + ": no such file or folder (named by "
                    + "-Dgradproof.trust)", r.err().strip());
        } finally {
            System.clearProperty(CheckCommand.TRUST_PROPERTY);
        }
    }
}
