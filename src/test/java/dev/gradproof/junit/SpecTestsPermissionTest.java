package dev.gradproof.junit;

import dev.gradproof.run.SpecOutcome;
import dev.gradproof.api.Verdict;
import dev.gradproof.run.ProcessPermission;
import dev.gradproof.run.TrustedCommands;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue #11, item 9, in the JUnit API: SpecTests starts a spec's program only with a ProcessPermission. */
class SpecTestsPermissionTest {
    @TempDir
    Path tmp;

    private Path stranger() throws Exception {
        Path spec = tmp.resolve("specs").resolve("stranger.yaml");
        Files.createDirectories(spec.getParent());
        Files.writeString(spec, Files.readString(Path.of("specs/sigmoid-2-2-1.yaml")) + "implementation: {process: \"bash -c "
                + "'id > " + tmp.resolve("pwned.txt") + "'\"}\n");
        return spec;
    }

    @Test
    void byDefaultASpecsProgramIsRefusedAndTheFailureSaysHowToAllowIt() throws Exception {
        Path spec = stranger();
        SpecOutcome outcome = SpecTests.run(spec);
        assertEquals(Verdict.ERROR, outcome.result().verdict());
        assertTrue(outcome.result().error().endsWith(" was not started: a spec file runs a program only with your "
                + "permission, and no trusted-commands file was named. Read the spec, then pass ProcessPermission.all(), or "
                + "ProcessPermission.trusting(TrustedCommands.read(FILE)), to SpecTests (docs/PROTOCOL.md, \"Security\")"),
                outcome.result().error());
        List<DynamicTest> tests = SpecTests.inFolder(spec.getParent()).toList();
        assertThrows(AssertionFailedError.class, () -> tests.get(0).getExecutable().execute());
        assertFalse(Files.exists(tmp.resolve("pwned.txt")));
    }

    @Test
    void aPermissionLetsItRun() throws Exception {
        Path spec = stranger();
        List<DynamicTest> tests = SpecTests.inFolder(spec.getParent(), ProcessPermission.all()).toList();
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> tests.get(0).getExecutable().execute());
        assertTrue(e.getMessage().contains("exited with code 0 before answering hello"), e.getMessage());
        assertTrue(Files.exists(tmp.resolve("pwned.txt")));
    }

    @Test
    void theRepositorysTrustFileLetsTheBundledNumpySpecRun() throws Exception {
        Path numpy = Path.of("specs/external/numpy/numpy-tanh-tutorial.yaml");
        assertEquals(Verdict.ERROR, SpecTests.run(numpy).result().verdict());
        SpecOutcome outcome = SpecTests.check(numpy,
                ProcessPermission.trusting(TrustedCommands.read(Path.of("trusted-commands"))));
        assertEquals(Verdict.PASS, outcome.result().verdict(), outcome.result()::error);
    }
}
