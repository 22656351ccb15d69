package dev.gradproof.run;

import dev.gradproof.api.Batch;
import dev.gradproof.api.Evaluation;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.api.Parameters;
import dev.gradproof.compare.Shard;
import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.api.Verdict;
import dev.gradproof.external.ChildEnvironment;
import dev.gradproof.spec.ImplementationSpec;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.SpecLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #11, item 9: a spec runs a program only with the caller's permission; what the caller names
 * itself runs without; a spec's {@code java:} initialises nothing that is not a NetworkUnderTest.
 */
class ProcessPermissionTest {
    @TempDir
    Path tmp;

    /** sigmoid-2-2-1 with {@code tail} appended (an implementation, an expectation). */
    private Spec spec(String tail) throws Exception {
        Path file = tmp.resolve("stranger.yaml");
        Files.writeString(file, Files.readString(Path.of("specs/sigmoid-2-2-1.yaml")).replace("expect: pass\n", "") + tail);
        return new SpecLoader().load(file);
    }

    /** A command that leaves a file behind if it ever runs. */
    private String pwn() {
        return "bash -c 'id > " + tmp.resolve("pwned.txt") + "'";
    }

    private SpecResult run(Spec spec, ImplementationSpec override, ProcessPermission permission) {
        return SpecRun.run(spec, override, null, SpecChecker.Progress.NONE, Shard.ALL, permission);
    }

    @Test
    void aSpecsProgramIsRefusedWithTheFileLineAndHowToAllowIt() throws Exception {
        Spec spec = spec("implementation: {process: \"" + pwn() + "\"}\nexpect: pass\n");
        SpecResult r = run(spec, null, ProcessPermission.none());
        assertEquals(Verdict.ERROR, r.verdict());
        assertEquals(spec.file() + ":25:27: implementation.process: " + pwn() + " was not started: a spec file runs a "
                + "program only with your permission, and no trusted-commands file was named. Read the spec, then pass "
                + "ProcessPermission.all(), or ProcessPermission.trusting(TrustedCommands.read(FILE)), to SpecTests "
                + "(docs/PROTOCOL.md, \"Security\")", r.error());
        assertFalse(Files.exists(tmp.resolve("pwned.txt")), "the program did not run");
    }

    @Test
    void aRefusalNeverMeetsAnExpectedError() throws Exception {
        Spec spec = spec("implementation: {process: \"" + pwn() + "\"}\nexpect: {verdict: error}\n");
        SpecResult r = run(spec, null, ProcessPermission.none());
        assertEquals(Verdict.ERROR, r.verdict());
        assertFalse(r.metExpectation(), "a stranger's spec must not pass by expecting its own refusal");
        assertFalse(Files.exists(tmp.resolve("pwned.txt")));
    }

    @Test
    void aTrustFileThatDoesNotListTheCommandSaysSo() throws Exception {
        Path trust = tmp.resolve("trusted-commands");
        Files.writeString(trust, "examples/numpy/net ...\n");
        Spec spec = spec("implementation: {process: \"" + pwn() + "\"}\nexpect: pass\n");
        SpecResult r = run(spec, null, ProcessPermission.trusting(TrustedCommands.read(trust))
                .withHowToAllow("run with --allow-process"));
        assertEquals(spec.file() + ":25:27: implementation.process: " + pwn() + " was not started: a spec file runs a "
                + "program only with your permission, and this one is not in " + trust + ". Read the spec, then run with "
                + "--allow-process (docs/PROTOCOL.md, \"Security\")", r.error());
        assertFalse(Files.exists(tmp.resolve("pwned.txt")));
    }

    @Test
    void allowedItRuns() throws Exception {
        Spec spec = spec("implementation: {process: \"" + pwn() + "\"}\nexpect: pass\n");
        SpecResult r = run(spec, null, ProcessPermission.all());
        assertEquals(pwn() + ": exited with code 0 before answering hello\n(nothing on stderr)", r.error());
        assertTrue(Files.exists(tmp.resolve("pwned.txt")), "it ran: the refusal above is the permission's doing");
    }

    @Test
    void theCallersOwnChoiceNeedsNoPermission() throws Exception {
        Spec spec = spec("implementation: {process: \"" + pwn() + "\"}\nexpect: pass\n");
        SpecResult r = run(spec, ImplementationSpec.reference(), ProcessPermission.none());
        assertEquals(Verdict.PASS, r.verdict(), r::error);
        assertFalse(Files.exists(tmp.resolve("pwned.txt")), "the override replaced the spec's program");
        SpecResult own = run(spec(""), ImplementationSpec.parseOption(pwn()), ProcessPermission.none());
        assertEquals(pwn() + ": exited with code 0 before answering hello\n(nothing on stderr)", own.error());
    }

    @Test
    void aSpecsJavaClassIsNotInitialisedUnlessItIsANetworkUnderTest() throws Exception {
        System.clearProperty(StaticInitProbe.PROPERTY);
        Spec spec = spec("implementation: {java: \"" + StaticInitProbe.class.getName() + "\"}\nexpect: pass\n");
        SpecResult r = run(spec, null, ProcessPermission.none());
        assertEquals("java:" + StaticInitProbe.class.getName() + " does not implement dev.gradproof.api.NetworkUnderTest",
                r.error());
        assertNull(System.getProperty(StaticInitProbe.PROPERTY), "its static initialiser did not run");
    }

    @Test
    void aNetworkUnderTestWhoseStaticInitialiserThrowsIsAnErrorVerdict() throws Exception {
        Spec spec = spec("implementation: {java: \"" + ThrowingInit.class.getName() + "\"}\nexpect: pass\n");
        assertEquals("java:" + ThrowingInit.class.getName() + ": its static initialiser threw "
                + "java.lang.IllegalStateException: no licence", run(spec, null, ProcessPermission.none()).error());
    }

    @Test
    void theReferenceAndMutantsNeedNoPermission() throws Exception {
        assertEquals(Verdict.PASS, run(spec("expect: pass\n"), null, ProcessPermission.none()).verdict());
        SpecResult mutant = run(spec("implementation: {mutant: last-layer-sign-flip}\nexpect: mismatch\n"), null,
                ProcessPermission.none());
        assertEquals(Verdict.MISMATCH, mutant.verdict(), mutant::error);
    }

    @Test
    void theEnvironmentIsMinimalUnlessAskedOtherwise() {
        assertEquals(ChildEnvironment.MINIMAL, ProcessPermission.none().environment());
        assertEquals(ChildEnvironment.MINIMAL, ProcessPermission.all().environment());
        assertEquals(ChildEnvironment.INHERITED,
                ProcessPermission.all().withEnvironment(ChildEnvironment.INHERITED).environment());
        assertThrows(NullPointerException.class, () -> ProcessPermission.none().withEnvironment(null));
    }

    /** Not a NetworkUnderTest; its static initialiser leaves a trace if it ever runs. */
    public static final class StaticInitProbe {
        static final String PROPERTY = "gradproof.test.static-init-ran";

        static {
            System.setProperty(PROPERTY, "yes");
        }
    }

    /** A NetworkUnderTest whose static initialiser throws. */
    public static final class ThrowingInit implements NetworkUnderTest {
        static {
            if (Boolean.parseBoolean("true")) {
                throw new IllegalStateException("no licence");
            }
        }

        @Override
        public Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
            throw new UnsupportedOperationException();
        }
    }
}
