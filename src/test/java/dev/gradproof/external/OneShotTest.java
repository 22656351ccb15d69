package dev.gradproof.external;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class OneShotTest {
    private static final Duration LONG = Duration.ofSeconds(20);

    @Test
    void returnsStdoutOfAChildThatSucceeds() throws IOException {
        assertEquals(List.of("a", "b c", "no newline"), OneShot.run(List.of("bash", "-c",
                "echo a; echo 'b c'; echo noise >&2; printf 'no newline'"), null, Map.of(), LONG));
        assertEquals(List.of("7"), OneShot.run(List.of("bash", "-c", "echo $GP_X"), null, Map.of("GP_X", "7"), LONG));
    }

    @Test
    void aFailingChildGivesItsExitCodeAndLastStderrLines() {
        String m = assertThrows(IOException.class, () -> OneShot.run(List.of("bash", "-c", "echo it broke >&2; exit 3"),
                null, Map.of(), LONG)).getMessage();
        assertTrue(m.startsWith("bash -c echo it broke >&2; exit 3: exited with code 3"), m);
        assertTrue(m.contains("  it broke"), m);
    }

    @Test
    void aHungChildIsKilledAtTheTimeout() {
        long t0 = System.nanoTime();
        String m = assertThrows(IOException.class, () -> OneShot.run(List.of("bash", "-c", "echo waiting >&2; sleep 60"),
                null, Map.of(), Duration.ofMillis(700))).getMessage();
        assertTrue(m.contains("did not finish within 700 ms; killed it"), m);
        assertTrue(m.contains("waiting"), m);
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "returned within seconds");
    }

    @Test
    void aMissingProgramSaysItCouldNotStart() {
        String m = assertThrows(IOException.class, () -> OneShot.run(List.of("/nonexistent/gradproof-tool"), null, Map.of(),
                LONG)).getMessage();
        assertTrue(m.startsWith("/nonexistent/gradproof-tool: could not start: "), m);
    }
}
