package dev.gradproof.external;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.gradproof.external.Children.NET;
import static dev.gradproof.external.Children.batch;
import static dev.gradproof.external.Children.display;
import static dev.gradproof.external.Children.fake;
import static dev.gradproof.external.Children.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #11, item 7: a process a child starts while it computes, and that outlives it, is killed with
 * it. Such a grandchild is re-parented to init once the child dies, so it is not in the child's
 * process tree any more; it is still in the child's session.
 */
@Timeout(60)
class GrandchildrenTest {
    private static final Pattern STARTED = Pattern.compile("grandchild: started (\\d+)");

    /** The grandchild's pid, from the stderr lines the message ends with. */
    private static long grandchild(String message) {
        Matcher m = STARTED.matcher(message);
        assertTrue(m.find(), message);
        return Long.parseLong(m.group(1));
    }

    /** Gone within 5 s (a zombie waiting for init to reap it counts as gone). */
    private static void assertGone(long pid, String message) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        ProcessHandle h = ProcessHandle.of(pid).orElse(null);
        while (h != null && !ChildProcess.gone(h) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(h == null || ChildProcess.gone(h), "grandchild " + pid + " survived: " + message);
    }

    @Test
    void theChildLeadsASessionOfItsOwn() {
        assertTrue(Sessions.available(), "setsid and /proc are on this machine (util-linux); the tests below need them");
        try (ProcessNetwork net = fake("grandchild.py")) {
            net.start(NET);
            long pid = net.process().orElseThrow().pid();
            assertEquals(pid, Sessions.sessionOf(pid).orElseThrow(), "session id = the child's pid");
            assertTrue(Sessions.sessionOf(ProcessHandle.current().pid()).orElseThrow() != pid);
        }
    }

    @Test
    void aGrandchildStartedInEvaluateDiesWhenTheChildCrashes() {
        try (ProcessNetwork net = fake("grandchild.py", "evaluate-crash")) {
            String message = assertThrows(IllegalStateException.class,
                    () -> net.evaluate(NET, params(NET), batch(NET))).getMessage();
            long pid = grandchild(message);
            assertEquals(display("grandchild.py", "evaluate-crash") + ": exited with code 5 before answering evaluate "
                    + "(its stdout is still open, held by a process it started)\n"
                    + "last lines of stderr:\n"
                    + "  grandchild: started " + pid + "\n"
                    + "  grandchild: crashing, leaving the grandchild behind", message);
            assertGone(pid, message);
        }
    }

    @Test
    void aGrandchildInAProcessGroupOfItsOwnDiesToo() {
        try (ProcessNetwork net = fake("grandchild.py", "evaluate-crash-pgrp")) {
            String message = assertThrows(IllegalStateException.class,
                    () -> net.evaluate(NET, params(NET), batch(NET))).getMessage();
            assertTrue(message.startsWith(display("grandchild.py", "evaluate-crash-pgrp") + ": exited with code 5 before "
                    + "answering evaluate (its stdout is still open, held by a process it started)\n"), message);
            assertGone(grandchild(message), message);
        }
    }

    @Test
    void aGrandchildStartedInEvaluateDiesWhenTheHangingChildIsKilled() {
        try (ProcessNetwork net = fake("grandchild.py", Duration.ofMillis(1500), "evaluate-hang")) {
            String message = assertThrows(IllegalStateException.class,
                    () -> net.evaluate(NET, params(NET), batch(NET))).getMessage();
            long pid = grandchild(message);
            assertEquals(display("grandchild.py", "evaluate-hang") + ": no answer to evaluate within 1.5 s (the process "
                    + "is still running; killed)\n"
                    + "last lines of stderr:\n"
                    + "  grandchild: started " + pid + "\n"
                    + "  grandchild: hanging", message);
            assertGone(pid, message);
        }
    }

    @AfterAll
    static void noProcessOfTheseTestsSurvives() {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (Children.survivors().stream().anyMatch(h -> !ChildProcess.gone(h)) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(List.of(), Children.survivors().stream().filter(h -> !ChildProcess.gone(h)).toList());
    }
}
