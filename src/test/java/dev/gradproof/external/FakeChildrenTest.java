package dev.gradproof.external;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.gradproof.external.Children.NET;
import static dev.gradproof.external.Children.assertAllDead;
import static dev.gradproof.external.Children.batch;
import static dev.gradproof.external.Children.display;
import static dev.gradproof.external.Children.fake;
import static dev.gradproof.external.Children.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Children that misbehave one way each: every failure is an IllegalStateException with an exact
 * message, nothing hangs, and no process they started survives.
 */
@Timeout(60)
class FakeChildrenTest {
    private static final Duration SHORT = Duration.ofMillis(500);

    /** Greets the child, runs the failing call, returns the message; checks that its whole tree is dead. */
    private static String failure(ProcessNetwork net, Executable call) {
        net.start(NET);
        Set<ProcessHandle> tree = net.processTree();
        IllegalStateException e = assertThrows(IllegalStateException.class, call);
        assertTrue(net.process().isEmpty(), "the child is forgotten after a failure");
        assertAllDead(tree);
        return e.getMessage();
    }

    private static String evaluateFailure(ProcessNetwork net) {
        return failure(net, () -> net.evaluate(NET, params(NET), batch(NET)));
    }

    @Test
    void aChildThatCrashesOnHelloIsReportedWithItsExitCodeAndStderr() {
        try (ProcessNetwork net = fake("crash_on_hello.py")) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> net.evaluate(NET, params(NET), batch(NET)));
            assertEquals(display("crash_on_hello.py") + ": exited with code 3 before answering hello\n"
                    + "last lines of stderr:\n"
                    + "  Traceback (most recent call last):\n"
                    + "  RuntimeError: cannot load weights", e.getMessage());
            assertEquals("float64", net.dtype());
            assertEquals(display("crash_on_hello.py"), net.name(), "no hello answered: the command is the name");
        }
    }

    @Test
    void aChildThatExitsMidRun() {
        try (ProcessNetwork net = fake("exit_mid_run.py")) {
            assertEquals(display("exit_mid_run.py") + ": exited with code 4 before answering evaluate\n"
                    + "last lines of stderr:\n"
                    + "  exit_mid_run: out of memory, giving up", evaluateFailure(net));
            assertEquals("exit-mid-run", net.name(), "the name from hello stays");
        }
    }

    @Test
    void aChildThatHangsIsKilledAfterTheTimeout() {
        try (ProcessNetwork net = fake("hang.py", SHORT)) {
            long start = System.nanoTime();
            assertEquals(display("hang.py") + ": no answer to evaluate within 500 ms (the process is still running; killed)\n"
                    + "last lines of stderr:\n"
                    + "  hang: thinking forever", evaluateFailure(net));
            assertTrue(System.nanoTime() - start < 5_000_000_000L, "gave up soon after the timeout");
        }
    }

    @Test
    void anAnswerAfterTheTimeoutIsTooLate() {
        try (ProcessNetwork net = fake("slow.py", SHORT)) {
            assertEquals(display("slow.py") + ": no answer to evaluate within 500 ms (the process is still running; killed)\n"
                    + "last lines of stderr:\n"
                    + "  slow: this takes 1.5 s", evaluateFailure(net));
        }
        try (ProcessNetwork patient = fake("slow.py", Duration.ofSeconds(10))) {
            assertEquals(1.0, patient.evaluate(NET, params(NET), batch(NET)).loss(), "with time enough it answers");
        }
    }

    @Test
    void garbageOnStdoutIsQuotedUpTo200Characters() {
        try (ProcessNetwork net = fake("garbage.py")) {
            String line = "Epoch 1/10 [" + "=".repeat(250) + "]";
            assertEquals(display("garbage.py") + ": answer to evaluate is not valid JSON (stdout is reserved for the protocol; write logs"
                    + " to stderr): " + line.substring(0, 200) + "...\n"
                    + "(nothing on stderr)", evaluateFailure(net));
        }
    }

    @Test
    void theNextCallAfterAFailureStartsAFreshChild() {
        try (ProcessNetwork net = fake("garbage.py")) {
            net.start(NET);
            long first = net.process().orElseThrow().pid();
            assertThrows(IllegalStateException.class, () -> net.evaluate(NET, params(NET), batch(NET)));
            net.start(NET);
            assertNotEquals(first, net.process().orElseThrow().pid());
        }
    }

    @Test
    void aPartialLineThenEndOfOutput() {
        try (ProcessNetwork net = fake("partial_line.py")) {
            assertEquals(display("partial_line.py") + ": answer to evaluate was cut off: its stdout ended in the middle "
                    + "of a line (it exited with code 0): {\"ok\": true, \"loss\": 0.5\n"
                    + "(nothing on stderr)", evaluateFailure(net));
        }
    }

    @Test
    void aWrongShapeIsNamedWithTheExpectedShape() {
        try (ProcessNetwork net = fake("wrong_shape.py")) {
            assertEquals(display("wrong_shape.py") + ": answer to evaluate: gradient W2 has 3 rows, expected 4 "
                    + "([out][in] = [4][3])\n"
                    + "(nothing on stderr)", evaluateFailure(net));
        }
    }

    @Test
    void aNaNLiteralIsNotJsonAndItsFieldIsNamed() {
        try (ProcessNetwork net = fake("nan_literal.py")) {
            assertEquals(display("nan_literal.py") + ": answer to evaluate is not valid JSON (NaN/Infinity are not JSON "
                    + "numbers): gradient W1[0,2] is NaN\n"
                    + "(nothing on stderr)", evaluateFailure(net));
        }
    }

    @Test
    void noisyStderrKeepsTheLast20Lines() {
        try (ProcessNetwork net = fake("noisy_stderr.py")) {
            String tail = IntStream.rangeClosed(83, 100).mapToObj(i -> "  noise " + i + "\n").collect(Collectors.joining());
            assertEquals(display("noisy_stderr.py") + ": exited with code 1 before answering evaluate\n"
                    + "last lines of stderr:\n"
                    + tail
                    + "  Traceback (most recent call last):\n"
                    + "  ZeroDivisionError: division by zero", evaluateFailure(net));
        }
    }

    @Test
    void aLineLongerThan64MiBIsRefused() {
        try (ProcessNetwork net = fake("huge_line.py")) {
            assertEquals(display("huge_line.py") + ": answer to evaluate is longer than 64 MiB, the limit on one line "
                    + "(killed)\n"
                    + "(nothing on stderr)", evaluateFailure(net));
        }
    }

    @Test
    void aChildThatClosesStdoutButKeepsRunning() {
        try (ProcessNetwork net = fake("close_stdout.py")) {
            assertEquals(display("close_stdout.py") + ": closed its stdout before answering evaluate (the process is "
                    + "still running; killed)\n"
                    + "last lines of stderr:\n"
                    + "  close_stdout: closing stdout, staying alive", evaluateFailure(net));
        }
    }

    @Test
    void oneAnswerTooManyIsCaughtBeforeTheNextRequest() throws InterruptedException {
        try (ProcessNetwork net = fake("double_answer.py")) {
            net.evaluate(NET, params(NET), batch(NET));
            Thread.sleep(200);
            String message = evaluateFailure(net);
            assertTrue(message.startsWith(display("double_answer.py") + ": printed a line nobody asked for, before "
                    + "evaluate: {\"ok\": true, \"loss\": 1.0, \"gradient\": "), message);
        }
    }

    @Test
    void aChildThatIgnoresByeAndSigtermIsKilledByClose() {
        ProcessNetwork net = fake("ignore_bye.py");
        assertEquals(1.0, net.evaluate(NET, params(NET), batch(NET)).loss());
        Set<ProcessHandle> tree = net.processTree();
        long start = System.nanoTime();
        net.close();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertAllDead(tree);
        assertTrue(millis >= 2000 && millis < 6000, "waited the 2 s grace, then killed it: " + millis + " ms");
        assertFalse(net.leftOnBye(), "it did not leave by itself");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.evaluate(NET, params(NET), batch(NET)));
        assertEquals(display("ignore_bye.py") + ": used after close()", e.getMessage());
    }

    @Test
    void closeEndsAWellBehavedChildWithoutKillingIt() {
        ProcessNetwork net = fake("grandchild.py");
        net.evaluate(NET, params(NET), batch(NET));
        Set<ProcessHandle> tree = net.processTree();
        assertEquals(2, tree.size(), "the child and the grandchild it started: " + tree);
        net.close();
        // Whether it left by itself, not how fast close() returned: a loaded machine can take seconds.
        assertTrue(net.leftOnBye(), "the child left on bye, within the grace period");
        assertAllDead(tree);
    }

    @Test
    void aCrashingChildsGrandchildIsKilledToo() {
        try (ProcessNetwork net = fake("grandchild.py", "crash")) {
            net.start(NET);
            Set<ProcessHandle> tree = net.processTree();
            long child = net.process().orElseThrow().pid();
            long grandchild = tree.stream().mapToLong(ProcessHandle::pid).filter(p -> p != child).findFirst().orElseThrow();
            assertEquals(display("grandchild.py", "crash") + ": exited with code 5 before answering evaluate (its stdout "
                    + "is still open, held by a process it started)\n"
                    + "last lines of stderr:\n"
                    + "  grandchild: started " + grandchild + "\n"
                    + "  grandchild: crashing, leaving the grandchild behind",
                    failure(net, () -> net.evaluate(NET, params(NET), batch(NET))));
        }
    }

    @Test
    void aProgramThatCannotStart() {
        try (ProcessNetwork net = new ProcessNetwork(List.of("no-such-program-gradproof", "--x"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> net.evaluate(NET, params(NET), batch(NET)));
            assertEquals("no-such-program-gradproof --x: could not start: Cannot run program \"no-such-program-gradproof\": "
                    + "error=2, No such file or directory", e.getMessage());
        }
    }

    @Test
    void noPythonProcessStartedHereOutlivesItsNetwork() {
        List<ProcessHandle> before = pythonDescendants();
        List<ProcessHandle> seen = new ArrayList<>();
        for (String script : List.of("crash_on_hello.py", "hang.py", "close_stdout.py", "ignore_bye.py", "grandchild.py")) {
            try (ProcessNetwork net = fake(script, SHORT)) {
                try {
                    net.start(NET);
                    seen.addAll(net.processTree());
                    net.evaluate(NET, params(NET), batch(NET));
                } catch (IllegalStateException expected) {
                    // each fails its own way, or not at all
                }
            }
        }
        assertTrue(seen.size() >= 5, "children were started: " + seen);
        assertAllDead(seen);
        assertEquals(before.size(), pythonDescendants().size(), "python processes under this JVM, before and after");
        assertEquals(List.of(), Children.survivors());
    }

    private static List<ProcessHandle> pythonDescendants() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("python")).orElse(false))
                .collect(Collectors.toList());
    }

    @AfterAll
    static void nothingStartedByTheseTestsSurvives() {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!Children.survivors().isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(List.of(), Children.survivors());
    }
}
