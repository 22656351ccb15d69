package dev.gradproof.external;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Python children's own tests, from {@code mvn test}: {@code python3 -m unittest discover} in
 * examples/numpy (net.py against PyTorch on every protocol 2 fixture) and adapters/torch (the fixtures
 * current, the adapter's conversation, the conv autograd.Function's planted bug). They need numpy and
 * torch, which CI installs; without them this test fails rather than skips, since the fixtures the Java
 * side is tested against are only as good as these checks.
 */
@Timeout(600)
class PythonChildrenTest {
    private static final Duration LIMIT = Duration.ofMinutes(4);
    private static final Pattern RAN = Pattern.compile("(?m)^Ran (\\d+) tests? in ");

    @TempDir
    Path tmp;

    @Test
    void theNumpyChildAgreesWithPyTorchOnEveryFixture() throws Exception {
        unittest(python(), Path.of("examples/numpy"));
    }

    @Test
    void theTorchAdapterAndItsFixturesPassTheirTests() throws Exception {
        unittest(python(), Path.of("adapters/torch"));
    }

    /** The runner can fail: a failing Python test fails it, with Python's output; so does a folder with no tests. */
    @Test
    void aFailingOrEmptyPythonSuiteFailsWithItsOutput() throws Exception {
        String python = python();
        Path failing = Files.createDirectories(tmp.resolve("failing"));
        Files.writeString(failing.resolve("test_planted.py"), """
                import unittest
                class Planted(unittest.TestCase):
                    def test_wrong(self):
                        self.assertEqual(1 + 1, 3, "planted failure")
                """);
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> unittest(python, failing));
        assertTrue(e.getMessage().contains("planted failure") && e.getMessage().contains("FAILED (failures=1)"),
                e.getMessage());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        e = assertThrows(AssertionFailedError.class, () -> unittest(python, empty));
        assertTrue(e.getMessage().contains("ran no tests"), e.getMessage());
    }

    /** The first of $GRADPROOF_PYTHON, /usr/bin/python3 and python3 that imports numpy and torch. */
    static String python() throws IOException, InterruptedException {
        String env = System.getenv("GRADPROOF_PYTHON");
        List<String> tried = new ArrayList<>();
        for (String p : env != null && !env.isBlank() ? List.of(env) : List.of("/usr/bin/python3", "python3")) {
            tried.add(p);
            try {
                Process probe = new ProcessBuilder(p, "-c", "import numpy, torch").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!probe.waitFor(60, TimeUnit.SECONDS)) {
                    probe.destroyForcibly();
                } else if (probe.exitValue() == 0) {
                    return p;
                }
            } catch (IOException notThisOne) {
                // try the next
            }
        }
        return fail("no Python here imports numpy and torch (tried " + String.join(", ", tried) + "); install them with"
                + " apt-get install python3-numpy python3-torch (CI does), or name one with GRADPROOF_PYTHON");
    }

    /** Runs {@code python -m unittest discover} in {@code folder}; fails with its output unless every test ran and passed. */
    static void unittest(String python, Path folder) throws IOException, InterruptedException {
        Path log = Files.createTempFile("unittest", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(python, "-m", "unittest", "discover").directory(folder.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");   // no __pycache__ in the source tree
            pb.environment().put("OMP_NUM_THREADS", "1");
            Process p = pb.start();
            boolean done = p.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String out = Files.readString(log);
            String where = python + " -m unittest discover in " + folder;
            if (!done) {
                fail(where + " did not finish within " + LIMIT.toMinutes() + " minutes; killed. Its output:\n" + out);
            }
            if (p.exitValue() != 0) {
                fail(where + " exited with " + p.exitValue() + ". Its output:\n" + out);
            }
            Matcher ran = RAN.matcher(out);
            if (!ran.find() || Integer.parseInt(ran.group(1)) == 0) {
                fail(where + " ran no tests. Its output:\n" + out);
            }
            if (out.contains("skipped=")) {
                fail(where + " skipped tests, which count as not run here. Its output:\n" + out);
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
